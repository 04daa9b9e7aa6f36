import type { ObjectStore } from '../../adapters/object-store.ts';

/** The first `bytes` bytes of an object (fewer when it is shorter): enough to sniff its format. */
export async function readHeadBytes(store: Pick<ObjectStore, 'read'>, key: string, bytes: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of await store.read(key, { start: 0, end: bytes - 1 })) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}
