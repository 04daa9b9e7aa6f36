import { describe, expect, it } from 'vitest';
import { allocateUploadSecond } from '../../lambdas/app/ingest/unique-upload-name.ts';

/** The claims table as the uploads table keeps it: one owner per (partner, name, second). */
function claims() {
  const owners = new Map<string, string>();
  return {
    owners,
    async claimName(partnerId: string, nameKey: string, ts: number, uploadId: string): Promise<boolean> {
      const key = `${partnerId}|${nameKey}|${ts}`;
      const owner = owners.get(key) ?? uploadId;
      owners.set(key, owner);
      return owner === uploadId;
    },
  };
}

const upload = (uploadId: string, name = 'x.csv', ts = 1_700_000_000, partnerId = 'acme') => ({ partnerId, uploadId, name, ts });

describe('allocateUploadSecond', () => {
  it('gives the receipt second, then the next free ones to later uploads of the same name', async () => {
    // Prepare
    const table = claims();
    // Act
    const seconds = [
      await allocateUploadSecond(table, upload('a')),
      await allocateUploadSecond(table, upload('b')),
      await allocateUploadSecond(table, upload('c', 'x.csv', 1_700_000_001)),
    ];
    // Assess
    expect(seconds).toEqual([1_700_000_000, 1_700_000_001, 1_700_000_002]);
  });

  it('gives a retried upload the second it already holds', async () => {
    // Prepare
    const table = claims();
    await allocateUploadSecond(table, upload('a'));
    await allocateUploadSecond(table, upload('b'));
    // Act
    const again = [await allocateUploadSecond(table, upload('b')), await allocateUploadSecond(table, upload('a'))];
    // Assess
    expect(again).toEqual([1_700_000_001, 1_700_000_000]);
  });

  it('keeps other names and other partners apart', async () => {
    // Prepare
    const table = claims();
    await allocateUploadSecond(table, upload('a'));
    // Act
    const other = await allocateUploadSecond(table, upload('b', 'y.csv'));
    const elsewhere = await allocateUploadSecond(table, upload('c', 'x.csv', 1_700_000_000, 'globex'));
    // Assess
    expect([other, elsewhere]).toEqual([1_700_000_000, 1_700_000_000]);
  });

  it('claims by a fixed-size key, whatever the length of the name', async () => {
    // Prepare
    const table = claims();
    // Act
    await allocateUploadSecond(table, upload('a', 'ç'.repeat(500)));
    // Assess
    const [key] = [...table.owners.keys()];
    expect(key?.split('|')[1]).toHaveLength(43); // sha-256, base64url
  });
});
