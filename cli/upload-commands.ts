import type { CommandContext } from './context.ts';
import { notAvailable } from './not-available.ts';

/** `upload approve|decline <partner> <ts>-<name>`: answers an upload awaiting approval (SPEC §10). */
export async function decideUpload(
  _ctx: CommandContext,
  decision: 'approve' | 'decline',
  _partnerId: string,
  _upload: string,
): Promise<void> {
  throw notAvailable(`upload ${decision}`, 'the approval flow (SPEC §10)');
}
