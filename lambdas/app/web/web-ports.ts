import type { ApprovalRepo } from '../../adapters/approval-repo.ts';
import type { AnnouncedUpload } from '../../adapters/upload-announcer.ts';
import type { ObjectStore } from '../../adapters/object-store.ts';
import type { PartnerRepo } from '../../adapters/partner-repo.ts';
import type { UploadRepo } from '../../adapters/upload-repo.ts';
import type { Log } from '../ingest/pipeline-deps.ts';

/** What the web API needs of the world (SPEC §18); lambdas/wiring/compose-web.ts builds it. */

export type SignInResult = { idToken: string; expiresIn: number } | { challenge: 'NEW_PASSWORD_REQUIRED'; session: string };

/** Cognito (the emulator's in local mode): sign-in and the check of a token. */
export interface PortalAuth {
  /** Throws {@link SignInRefused} with a message fit for the admin. */
  signIn(email: string, password: string): Promise<SignInResult>;
  newPassword(email: string, session: string, newPassword: string): Promise<{ idToken: string; expiresIn: number }>;
  /** The signed-in admin's email, or undefined for a token that is not valid here. */
  verify(idToken: string): Promise<string | undefined>;
}

export class SignInRefused extends Error {
  constructor(
    message: string,
    readonly status: 400 | 401,
  ) {
    super(message);
    this.name = 'SignInRefused';
  }
}

export interface UploadPresigner {
  /** A presigned POST for exactly `key`, of at most `maxBytes`, valid `seconds`. */
  presignPost(key: string, maxBytes: number, seconds: number): Promise<{ url: string; fields: Record<string, string> }>;
  /** A presigned GET of `key`, downloaded as `fileName`. */
  presignGet(key: string, seconds: number, fileName: string): Promise<string>;
}

export interface WebDeps {
  readonly partners: Pick<PartnerRepo, 'get' | 'list'>;
  readonly uploads: Pick<UploadRepo, 'newest'>;
  readonly approvals: Pick<ApprovalRepo, 'pending'>;
  readonly store: Pick<ObjectStore, 'bucket' | 'head' | 'read' | 'readText' | 'putStream' | 'list'>;
  readonly auth: PortalAuth;
  readonly presigner: UploadPresigner;
  /** Announces a file written into an upload folder as a completed transfer (SPEC §15). */
  announce(upload: AnnouncedUpload): Promise<void>;
  readonly maxUploadBytes: number;
  readonly presignSeconds: number;
  readonly clock: () => Date;
  readonly log: Log;
}
