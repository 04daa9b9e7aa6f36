import { createHash } from 'node:crypto';
import type { EmployeeRow } from './model.ts';

/**
 * The key an added row is stored under: derived from the upload and the line, so a write the SDK
 * retries, or a whole apply re-run after a crash, lands on the same item instead of creating a
 * second person — and the base snapshot knows the key without reading it back.
 */
export function addedKey(uploadId: string, row: Pick<EmployeeRow, 'line'>): string {
  return createHash('sha256').update(`${uploadId}:${row.line}`).digest('base64url').slice(0, 22);
}
