import type { Readable } from 'node:stream';
import type { ObjectStore } from '../../lambdas/adapters/object-store.ts';
import type { Partner } from '../../lambdas/core/partners/partner.ts';
import { isWritableLogicalPath, keyForLogicalPath, partnerPrefix, resolveLogicalPath } from '../../lambdas/core/partners/tree.ts';
import type { Node } from './attrs.ts';
import { RangedReader } from './read-handle.ts';

export interface OpenedObject {
  readonly key: string;
  readonly size: number;
  readonly mtime: Date;
  readonly pin: { readonly versionId?: string; readonly eTag?: string };
}
import { failure, noSuchFile, permissionDenied } from './sftp-errors.ts';

/**
 * One partner's logical tree over the bucket, with Transfer Family's semantics: `/` is
 * `partners/{id}/`, folders are prefixes (a zero-byte `prefix/` marker or any object below it),
 * and the partner may change things only inside its upload folders. Every path the client sends
 * goes through `resolve` first, so nothing it types can reach a key outside its prefix.
 */
export class PartnerFileSystem {
  private readonly home: string;

  constructor(
    private readonly store: ObjectStore,
    readonly partner: Partner,
    /** `user-agent-id` Transfer writes on every object a user uploads (`user@server-id`). */
    private readonly userAgentId: string,
  ) {
    this.home = partnerPrefix(partner.partnerId);
  }

  /** The normalised logical path of what the client sent (SFTP has no server-side cwd). */
  resolve(input: string): string {
    return resolveLogicalPath('/', input);
  }

  canWrite(path: string): boolean {
    return isWritableLogicalPath(this.partner.entityType, path);
  }

  private key(path: string): string {
    return keyForLogicalPath(this.partner.partnerId, path);
  }

  private dirPrefix(path: string): string {
    return path === '/' ? this.home : `${this.key(path)}/`;
  }

  /** The file or folder at `path`, or undefined when nothing is there. */
  async stat(path: string): Promise<Node | undefined> {
    const name = path === '/' ? '/' : path.slice(path.lastIndexOf('/') + 1);
    if (path === '/') return { kind: 'dir', name };
    const head = await this.store.head(this.key(path));
    if (head) return { kind: 'file', name, size: head.size, mtime: head.lastModified };
    return (await this.store.hasPrefix(this.dirPrefix(path))) ? { kind: 'dir', name } : undefined;
  }

  /** One level below a folder, sorted by name; folder markers themselves are never shown. */
  async list(path: string): Promise<Node[]> {
    const prefix = this.dirPrefix(path);
    const { objects, prefixes } = await this.store.list(prefix);
    if (objects.length === 0 && prefixes.length === 0 && path !== '/') {
      // An empty listing is an empty folder only if its own marker exists.
      if (!(await this.store.hasPrefix(prefix))) {
        throw (await this.store.head(this.key(path))) ? failure('Not a directory') : noSuchFile();
      }
    }
    const nodes: Node[] = [];
    for (const p of prefixes) {
      const name = p.slice(prefix.length, -1);
      if (name) nodes.push({ kind: 'dir', name });
    }
    for (const o of objects) {
      const name = o.key.slice(prefix.length);
      if (name && !name.endsWith('/')) nodes.push({ kind: 'file', name, size: o.size, mtime: o.lastModified });
    }
    return nodes.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** What a download reads: the object as it is at open (key, version, size, time). */
  async openForRead(path: string): Promise<OpenedObject> {
    const key = this.key(path);
    const head = await this.store.head(key);
    if (head) return { key, size: head.size, mtime: head.lastModified, pin: { versionId: head.versionId, eTag: head.eTag } };
    throw (await this.stat(path))?.kind === 'dir' ? failure('Is a directory') : noSuchFile();
  }

  /**
   * Reads the version that was current at open: status files are rewritten while partners
   * download them, and mixing two versions' bytes would hand them a corrupt file.
   */
  reader(opened: OpenedObject): RangedReader {
    return new RangedReader(this.store, opened.key, opened.size, opened.pin);
  }

  /** Refuses a write before any byte is accepted, as Transfer does at OPEN. */
  async checkWritable(path: string, exclusive: boolean): Promise<void> {
    if (!this.canWrite(path)) throw permissionDenied();
    const existing = await this.stat(path);
    if (existing?.kind === 'dir') throw failure('Is a directory');
    if (existing && exclusive) throw failure('File already exists');
  }

  /** Stores a finished upload, replacing any object at that path; returns its ETag. */
  async upload(path: string, body: Readable): Promise<{ eTag?: string }> {
    if (!this.canWrite(path)) throw permissionDenied();
    return this.store.putStream(this.key(path), body, { metadata: { 'user-agent-id': this.userAgentId } });
  }

  /**
   * A rename is an S3 copy then delete, as Transfer does (so the final name raises an
   * ObjectCreated:Copy event); the copy keeps the source's metadata, including `user-agent-id`.
   * An existing target is overwritten, like Transfer and unlike SFTP v3's RENAME wording.
   */
  async rename(from: string, to: string): Promise<void> {
    if (!this.canWrite(from) || !this.canWrite(to)) throw permissionDenied();
    const fromKey = this.key(from);
    const head = await this.store.head(fromKey);
    if (!head) throw (await this.stat(from)) ? failure('Renaming folders is not supported') : noSuchFile();
    if (from === to) return;
    if ((await this.stat(to))?.kind === 'dir') throw failure('Target is a directory');
    // Copy the version we saw, so a concurrent overwrite of the source cannot slip in between.
    await this.store.copy(fromKey, this.key(to), head.versionId);
    await this.store.delete(fromKey);
  }

  async remove(path: string): Promise<void> {
    if (!this.canWrite(path)) throw permissionDenied();
    const existing = await this.stat(path);
    if (!existing) throw noSuchFile();
    if (existing.kind === 'dir') throw failure('Is a directory');
    await this.store.delete(this.key(path));
  }

  /** Creates a folder marker; only where a file could be written, i.e. inside an upload folder. */
  async mkdir(path: string): Promise<void> {
    if (!this.canWrite(path)) throw permissionDenied();
    if (await this.stat(path)) throw failure('File already exists');
    await this.store.put(this.dirPrefix(path), new Uint8Array());
  }

  async rmdir(path: string): Promise<void> {
    if (!this.canWrite(path)) throw permissionDenied();
    const existing = await this.stat(path);
    if (!existing) throw noSuchFile();
    if (existing.kind !== 'dir') throw failure('Not a directory');
    const { objects, prefixes } = await this.store.list(this.dirPrefix(path));
    if (objects.length > 0 || prefixes.length > 0) throw failure('Directory not empty');
    await this.store.delete(this.dirPrefix(path));
  }
}
