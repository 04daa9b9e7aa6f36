import { describe, expect, it } from 'vitest';
import type { ObjectStore } from '../../lambdas/adapters/object-store.ts';
import { writeRenderedSystemFile } from '../../lambdas/app/files/system-files.ts';

/** Just what a plain status file's write touches: puts, recorded in order. */
function recordingStore(): { store: ObjectStore; writes: string[] } {
  const writes: string[] = [];
  const store = {
    put: async (_key: string, body: string | Uint8Array) => {
      writes.push(String(body));
    },
  } as unknown as ObjectStore;
  return { store, writes };
}

const PLAIN = { pgpPublicKey: undefined, encryptDownloads: 'off' } as const;
const FILE = { key: 'partners/acme/employees/upload/status.csv', contentType: 'text/csv', personal: false } as const;

describe('a file rendered whole from the tables', () => {
  it('is written once when nothing changed while it was written', async () => {
    const { store, writes } = recordingStore();
    let reads = 0;
    await writeRenderedSystemFile(store, PLAIN, FILE, async () => {
      reads += 1;
      return 'census.csv,Succeeded\n';
    });
    expect(writes).toEqual(['census.csv,Succeeded\n']);
    expect(reads).toBe(2);
  });

  it('is written again when its render was older than a change that another writer wrote first', async () => {
    // An ingest read the uploads while one was "Processing"; the settle then wrote "Succeeded";
    // the ingest's write lands last. Its second read sees the change, so the file ends true.
    const { store, writes } = recordingStore();
    const states = ['census.csv,Processing\n', 'census.csv,Succeeded\n'];
    let reads = 0;
    await writeRenderedSystemFile(store, PLAIN, FILE, async () => states[Math.min(reads++, states.length - 1)] as string);
    expect(writes).toEqual(['census.csv,Processing\n', 'census.csv,Succeeded\n']);
    expect(reads).toBe(3);
  });

  it('stops after a bounded number of rounds when the tables keep changing', async () => {
    const { store, writes } = recordingStore();
    let reads = 0;
    await writeRenderedSystemFile(store, PLAIN, FILE, async () => `row ${reads++}\n`, 3);
    expect(writes).toEqual(['row 0\n', 'row 1\n', 'row 2\n']);
  });
});
