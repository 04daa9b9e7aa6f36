import { createHash } from 'node:crypto';
import type { UploadRepo } from '../../adapters/upload-repo.ts';

/**
 * `{ts}-{name}` is unique per partner (SPEC §3): every file derived from an upload (status row,
 * error report, pending list, flexben history, emails) is named by it, so a second upload of the
 * same name within the same second would overwrite the first one's report. The upload takes the
 * first second from its receipt on whose name no other upload holds a claim.
 *
 * Claims are conditional writes keyed on (partner, name, second) and owned by the upload id,
 * which is derived from the object version: a retried or repeated event finds its own claim
 * again and gets the same second, so the allocation is idempotent like the rest of the ingest.
 */

/** Far more than any partner uploads of one name in a burst; reaching it means something loops. */
const MAX_SECONDS_AHEAD = 3600;

/** Names up to S3's 1,024-byte keys would not fit a DynamoDB sort key; a digest always does. */
function nameKey(name: string): string {
  return createHash('sha256').update(name, 'utf8').digest('base64url');
}

/**
 * The epoch second to name the upload by: `receivedTs`, or the next one free for this name.
 * @throws when no second within an hour is free (never expected; the event is then retried).
 */
export async function allocateUploadSecond(
  claims: Pick<UploadRepo, 'claimName'>,
  upload: { readonly partnerId: string; readonly uploadId: string; readonly name: string; readonly ts: number },
): Promise<number> {
  const key = nameKey(upload.name);
  for (let ts = upload.ts; ts < upload.ts + MAX_SECONDS_AHEAD; ts++) {
    if (await claims.claimName(upload.partnerId, key, ts, upload.uploadId)) return ts;
  }
  throw new Error(`no free second for an upload name within ${MAX_SECONDS_AHEAD}s of its receipt`);
}
