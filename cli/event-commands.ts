import type { CommandContext } from './context.ts';
import { notAvailable } from './not-available.ts';

/** `events load <file.jsonl>`: feeds platform events (check-ins, subscriptions) to the reports. */
export async function loadEvents(_ctx: CommandContext, _file: string): Promise<void> {
  throw notAvailable('events load', 'the usage reports feature (SPEC §9)');
}
