import { parseConfirmationName } from '../../../core/uploads/approvals.ts';
import { plainName } from '../../../core/partners/pgp-settings.ts';
import { uploadError } from '../../../core/uploads/upload-errors.ts';
import type { ProcessOutcome, UploadContext, UploadProcessor } from '../upload-processor.ts';
import { decideApproval, type ApprovalDeps } from './approval-flow.ts';

/**
 * Confirmation files put in `upload/approvals/` (SPEC §10): `APPROVE-{ts}-{name}` or
 * `DECLINE-{ts}-{name}`, any content. Runs in the partner's upload order, so a confirmation is
 * decided after every upload sent before it. The confirmation itself ends `Succeeded`, or
 * `Rejected` with a report saying why when it names nothing awaiting approval.
 */
export function approvalProcessor(deps: ApprovalDeps): UploadProcessor {
  return {
    async process(context: UploadContext): Promise<ProcessOutcome> {
      const { partner, upload } = context;
      // An encrypted confirmation is named after the file inside (`APPROVE-….csv.pgp`).
      const parsed = parseConfirmationName(plainName(upload.name));
      if (!parsed) {
        return {
          status: 'Rejected',
          errors: [
            uploadError(
              'Invalid',
              'Files in upload/approvals/ answer an upload awaiting approval: name the file APPROVE-{ts}-{name} to ' +
                'remove the people it lists, or DECLINE-{ts}-{name} to keep them, with {ts}-{name} as status.csv shows it.',
            ),
          ],
        };
      }
      const result = await decideApproval(deps, partner, parsed.uploadName, parsed.decision, context.now, upload.author);
      if (!result.ok)
        return { status: 'Rejected', errors: [uploadError(result.reason === 'unknown' ? 'Unknown' : 'Invalid', result.description)] };
      return { status: 'Succeeded', errors: [] };
    },
  };
}
