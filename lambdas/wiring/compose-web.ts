import { WEB } from '../../lib/resources.ts';
import type { AwsClients } from '../adapters/aws-clients.ts';
import { CognitoPortalAuth, type UserPool } from '../adapters/portal-users.ts';
import { announceUpload } from '../adapters/upload-announcer.ts';
import { S3Presigner } from '../adapters/s3-presigner.ts';
import type { Log } from '../app/ingest/pipeline-deps.ts';
import type { WebDeps } from '../app/web/web-ports.ts';
import type { Repositories } from './repositories.ts';

/** The web API's dependencies (SPEC §18), for Lambda and local mode alike. */
export function composeWeb(
  clients: AwsClients,
  repos: Repositories,
  pool: UserPool,
  log: Log,
  options: { maxUploadBytes?: number } = {},
): WebDeps {
  return {
    partners: repos.partners,
    uploads: repos.uploads,
    approvals: repos.approvals,
    store: repos.store,
    auth: new CognitoPortalAuth(clients.cognito, pool),
    presigner: new S3Presigner(clients.s3, repos.store.bucket),
    announce: (upload) => announceUpload(clients.events, upload),
    maxUploadBytes: options.maxUploadBytes ?? WEB.maxUploadBytes,
    presignSeconds: WEB.presignSeconds,
    clock: () => new Date(),
    log,
  };
}
