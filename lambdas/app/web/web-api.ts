import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { parse } from 'csv-parse/sync';
import type { Context } from 'hono';
import { BUCKET_LAYOUT } from '../../../lib/resources.ts';
import { failureAttributes } from '../../core/diagnostics/error-description.ts';
import { fileNameProblem } from '../../core/files/file-name-rules.ts';
import type { Partner } from '../../core/partners/partner.ts';
import { partnerPrefix, systemPath, treeFolders, UPLOAD_FOLDERS } from '../../core/partners/tree.ts';
import { isSettled, uploadFileName, uploadIdOf, WEB_CHANNEL_METADATA, type UploadRecord } from '../../core/uploads/upload.ts';
import {
  ApprovalList,
  ApprovalSent,
  DownloadLink,
  DownloadList,
  Me,
  NewPasswordRequest,
  NewUpload,
  NewUploadRequest,
  Problem,
  SignInRequest,
  SignInResponse,
  Submitted,
  Tokens,
  UploadErrors,
  UploadList,
  type MeBody,
  type UploadRowBody,
} from '../../core/web/api-schemas.ts';
import { errorReportPath } from '../ingest/publish-upload.ts';
import { SignInRefused, type WebDeps } from './web-ports.ts';

/**
 * The web channel's JSON API (SPEC §18), one Hono app that Lambda (lambdas/handlers/web-api.ts)
 * and local mode (local/web-server.ts) both serve. Every route past /auth is scoped to the partner
 * whose admin the token names; another partner's upload is simply not found.
 *
 * A web upload is staged first (a presigned POST outside the partner trees), then either
 * previewed — written into `employees/upload/dry-run/`, so the pipeline validates it with the same
 * rules and texts as over SFTP and applies nothing — or confirmed into the folder it was meant
 * for. Both go through the pipeline as an announced, completed transfer (SPEC §15).
 */

type Env = { Variables: { partner: Partner; email: string } };

function json<T extends z.ZodType>(schema: T) {
  return { content: { 'application/json': { schema } } };
}

/** Thrown by a route: answered as a problem document by the app's error handler. */
class ApiProblem extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409,
    readonly title: string,
    readonly detail?: string,
  ) {
    super(title);
  }
}
const problem = (description: string) => ({ ...{ content: { 'application/problem+json': { schema: Problem } } }, description });
const bearer = [{ bearer: [] as string[] }];
const HISTORY_ROWS = 100;

export function createWebApi(deps: WebDeps): OpenAPIHono<Env> {
  const app = new OpenAPIHono<Env>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const detail = result.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
        return problemResponse(c, 400, 'The request is not valid', detail);
      }
    },
  });

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });

  app.onError((error, c) => {
    if (error instanceof SignInRefused) return problemResponse(c, error.status, 'Sign-in refused', error.message);
    if (error instanceof ApiProblem) return problemResponse(c, error.status, error.title, error.detail);
    deps.log.error('web api request failed', failureAttributes(`${c.req.method} ${c.req.routePath}`, error));
    return problemResponse(c, 500, 'Something went wrong on our side', 'Nothing was changed. Try again in a moment.');
  });
  app.notFound((c) => problemResponse(c, 404, 'Not found'));

  // Every route but sign-in and the document needs an admin's token.
  app.use('/api/v1/*', async (c, next) => {
    const open = c.req.path.startsWith('/api/v1/auth/') || c.req.path === '/api/v1/openapi.json';
    if (open) return next();
    const token = /^Bearer (.+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    const email = token ? await deps.auth.verify(token) : undefined;
    if (!email) return problemResponse(c, 401, 'Sign in first', 'The request has no valid token.');
    const mine = (await deps.partners.list()).filter((p) => p.adminEmails.some((a) => a.toLowerCase() === email));
    const chosen = c.req.header('x-partner-id');
    const partner = chosen ? mine.find((p) => p.partnerId === chosen) : mine.length === 1 ? mine[0] : undefined;
    if (!partner) {
      if (mine.length > 1 && !chosen)
        return problemResponse(c, 400, 'Choose a partner', 'This account administers several partners: send X-Partner-Id.');
      return problemResponse(c, 403, 'Not an admin here', 'This account is not an admin of this partner.');
    }
    c.set('partner', partner);
    c.set('email', email);
    return next();
  });

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/auth/sign-in',
      tags: ['auth'],
      request: { body: { ...json(SignInRequest), required: true } },
      responses: {
        200: { ...json(SignInResponse), description: 'Tokens, or the new-password step of a first sign-in' },
        401: problem('Wrong email or password'),
      },
    }),
    async (c) => {
      const { email, password } = c.req.valid('json');
      return c.json(await deps.auth.signIn(email.toLowerCase(), password), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/auth/new-password',
      tags: ['auth'],
      request: { body: { ...json(NewPasswordRequest), required: true } },
      responses: { 200: { ...json(Tokens), description: 'Signed in with the new password' }, 400: problem('The password was refused') },
    }),
    async (c) => {
      const { email, session, newPassword } = c.req.valid('json');
      return c.json(await deps.auth.newPassword(email.toLowerCase(), session, newPassword), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/me',
      tags: ['account'],
      security: bearer,
      responses: { 200: { ...json(Me), description: 'The signed-in admin and their partner' }, 401: problem('No valid token') },
    }),
    (c) => c.json(meOf(c.get('partner'), c.get('email')), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/uploads',
      tags: ['uploads'],
      security: bearer,
      request: { body: { ...json(NewUploadRequest), required: true } },
      responses: {
        201: { ...json(NewUpload), description: 'Where to send the file' },
        400: problem('A folder this partner does not have, a file name SFTP would refuse, or a file too big'),
      },
    }),
    async (c) => {
      const partner = c.get('partner');
      const request = c.req.valid('json');
      const folder = meOf(partner, c.get('email')).uploadFolders.find((f) => f.folder === request.folder);
      if (!folder) throw new ApiProblem(400, 'Not an upload folder', `"${request.folder}" is not an upload folder of this partner.`);
      const nameProblem =
        fileNameProblem(request.fileName) ?? (request.fileName.includes('/') ? 'A file name cannot contain "/".' : undefined);
      if (nameProblem) throw new ApiProblem(400, 'File name refused', nameProblem);
      if (request.size > deps.maxUploadBytes) {
        throw new ApiProblem(400, 'File too big', `The file is larger than the ${deps.maxUploadBytes / 1024 / 1024} MiB limit.`);
      }
      const uploadId = randomUUID();
      const staged = stagingPrefix(partner, uploadId);
      await deps.store.putStream(
        `${staged}upload.json`,
        readableOf(JSON.stringify({ folder: request.folder, fileName: request.fileName })),
        {
          contentType: 'application/json',
        },
      );
      const upload = await deps.presigner.presignPost(`${staged}file`, deps.maxUploadBytes, deps.presignSeconds);
      const expiresAt = new Date(deps.clock().getTime() + deps.presignSeconds * 1000).toISOString();
      deps.log.info('web upload staged', { partnerId: partner.partnerId, uploadId });
      return c.json({ uploadId, upload, maxBytes: deps.maxUploadBytes, expiresAt }, 201);
    },
  );

  for (const action of ['preview', 'confirm'] as const) {
    app.openapi(
      createRoute({
        method: 'post',
        path: `/api/v1/uploads/{uploadId}/${action}`,
        tags: ['uploads'],
        security: bearer,
        request: { params: z.object({ uploadId: z.string() }) },
        responses: {
          202: {
            ...json(Submitted),
            description:
              action === 'preview'
                ? 'Sent as a dry run: its status and error report (with the counts) show in the history'
                : 'Sent for import: it shows in the history and in status.csv',
          },
          404: problem('No staged file of that id for this partner'),
          409: problem('The file has not been uploaded yet, or a credit file (no dry run)'),
        },
      }),
      async (c) => {
        const partner = c.get('partner');
        const staged = stagingPrefix(partner, c.req.valid('param').uploadId);
        const manifest = await deps.store.readText(`${staged}upload.json`);
        if (!manifest) throw new ApiProblem(404, 'Not found', 'No upload of that id.');
        const { folder, fileName } = JSON.parse(manifest) as { folder: string; fileName: string };
        const file = await deps.store.head(`${staged}file`);
        if (!file) throw new ApiProblem(409, 'Nothing uploaded yet', 'Send the file to the upload URL first.');
        const target = action === 'preview' ? dryRunFolder(partner, folder) : folder;
        if (!target) throw new ApiProblem(409, 'No preview for credit files', 'Credit files have no dry run: confirm to import it.');
        const sent = await sendIntoTree(deps, partner, c.get('email'), `${target}/${fileName}`, await deps.store.read(`${staged}file`));
        deps.log.info(`web upload sent (${action})`, { partnerId: partner.partnerId, bytes: file.size });
        return c.json({ fileName, folder: target, uploadId: sent.uploadId }, 202);
      },
    );
  }

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/uploads',
      tags: ['uploads'],
      security: bearer,
      responses: { 200: { ...json(UploadList), description: "The partner's uploads, newest first" } },
    }),
    async (c) => {
      const uploads = await deps.uploads.newest(c.get('partner').partnerId, HISTORY_ROWS);
      return c.json({ uploads: uploads.map(rowOf) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/uploads/{uploadId}/errors',
      tags: ['uploads'],
      security: bearer,
      request: { params: z.object({ uploadId: z.string() }), query: z.object({ format: z.enum(['json', 'csv']).optional() }) },
      responses: {
        200: {
          content: { 'application/json': { schema: UploadErrors }, 'text/csv': { schema: z.string() } },
          description: "The upload's error report: rows as JSON, or the CSV as written into the tree",
        },
        404: problem('No such upload, or it has no error report'),
        409: problem("The partner's files are encrypted (SPEC §16): read the report over SFTP"),
      },
    }),
    async (c) => {
      const partner = c.get('partner');
      const { uploadId } = c.req.valid('param');
      const upload = (await deps.uploads.newest(partner.partnerId, HISTORY_ROWS)).find((u) => u.uploadId === uploadId);
      if (!upload) throw new ApiProblem(404, 'Not found', 'No upload of that id.');
      const path = errorReportPath(partner, upload);
      if (path.endsWith('.pgp')) {
        throw new ApiProblem(409, 'Encrypted report', "This partner's reports are encrypted to its key: download it over SFTP.");
      }
      const body = await deps.store.readText(`${partnerPrefix(partner.partnerId)}${path.slice(1)}`);
      if (body === undefined) throw new ApiProblem(404, 'No error report', 'This upload has no error report.');
      const wantsCsv = c.req.valid('query').format === 'csv' || (c.req.header('accept') ?? '').includes('text/csv');
      if (wantsCsv) {
        return c.body(body, 200, {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="${path.split('/').pop()}"`,
        });
      }
      const rows = parse(body, { bom: true, columns: true, skip_empty_lines: true }) as Record<string, string>[];
      const columns = (parse(body, { bom: true, to_line: 1 }) as string[][])[0] ?? [];
      return c.json({ columns, errors: rows }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/downloads',
      tags: ['downloads'],
      security: bearer,
      responses: { 200: { ...json(DownloadList), description: "The files in the partner's download folders" } },
    }),
    async (c) => {
      const partner = c.get('partner');
      const prefix = partnerPrefix(partner.partnerId);
      const files = [];
      for (const folder of downloadFolders(partner)) {
        const { objects } = await deps.store.list(`${prefix}${folder.path}/`);
        for (const o of objects) {
          const relative = o.key.slice(prefix.length);
          if (relative.endsWith('/')) continue;
          files.push({
            id: Buffer.from(relative).toString('base64url'),
            kind: folder.kind,
            name: relative.slice(folder.path.length + 1),
            size: o.size,
            lastModified: o.lastModified.toISOString(),
          });
        }
      }
      return c.json({ files }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/downloads/{id}',
      tags: ['downloads'],
      security: bearer,
      request: { params: z.object({ id: z.string() }) },
      responses: { 200: { ...json(DownloadLink), description: 'Where to download it' }, 404: problem('No such file of this partner') },
    }),
    async (c) => {
      const partner = c.get('partner');
      const relative = Buffer.from(c.req.valid('param').id, 'base64url').toString('utf8');
      const slash = relative.lastIndexOf('/');
      const inFolder = downloadFolders(partner).some((f) => f.path === relative.slice(0, slash));
      const name = relative.slice(slash + 1);
      const head =
        inFolder && name && !name.startsWith('.') ? await deps.store.head(`${partnerPrefix(partner.partnerId)}${relative}`) : undefined;
      if (!head) throw new ApiProblem(404, 'Not found', 'No such file.');
      const url = await deps.presigner.presignGet(head.key, deps.presignSeconds, name);
      return c.json({ url, expiresAt: new Date(deps.clock().getTime() + deps.presignSeconds * 1000).toISOString() }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/approvals',
      tags: ['approvals'],
      security: bearer,
      responses: { 200: { ...json(ApprovalList), description: 'Uploads whose removals wait for an admin (SPEC §10)' } },
    }),
    async (c) => {
      const pending = await deps.approvals.pending(c.get('partner').partnerId);
      return c.json(
        {
          approvals: pending.map((a) => ({
            approvalId: a.uploadName,
            uploadId: a.uploadId,
            removals: a.held,
            requestedAt: a.requestedAt,
            expiresAt: a.expiresOn,
          })),
        },
        200,
      );
    },
  );

  for (const decision of ['approve', 'decline'] as const) {
    app.openapi(
      createRoute({
        method: 'post',
        path: `/api/v1/approvals/{approvalId}/${decision}`,
        tags: ['approvals'],
        security: bearer,
        request: { params: z.object({ approvalId: z.string() }) },
        responses: {
          202: {
            ...json(ApprovalSent),
            description: `Sent: the ${decision === 'approve' ? 'removals are applied' : 'employees are kept'} shortly`,
          },
          404: problem('No pending approval of that id for this partner'),
        },
      }),
      async (c) => {
        const partner = c.get('partner');
        const { approvalId } = c.req.valid('param');
        const pending = await deps.approvals.pending(partner.partnerId);
        if (!pending.some((a) => a.uploadName === approvalId)) throw new ApiProblem(404, 'Not found', 'No pending approval of that id.');
        // The same file an admin would put over SFTP (SPEC §10), so one flow decides.
        const fileName = `${decision === 'approve' ? 'APPROVE' : 'DECLINE'}-${approvalId}`;
        const folder = systemPath(partner.entityType, 'employees/upload/approvals');
        await sendIntoTree(deps, partner, c.get('email'), `${folder}/${fileName}`, readableOf(''));
        deps.log.info(`web approval sent (${decision})`, { partnerId: partner.partnerId });
        return c.json({ approvalId, decision, fileName }, 202);
      },
    );
  }

  app.doc31('/api/v1/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'benefits-exchange partner API',
      version: '1',
      description: 'The web channel of SPEC §18: the same operations as the portal, as JSON.',
    },
  });
  return app;
}

function problemResponse(c: Context, status: 400 | 401 | 403 | 404 | 409 | 500, title: string, detail?: string) {
  return c.body(JSON.stringify({ type: 'about:blank', title, status, ...(detail ? { detail } : {}) }), status, {
    'content-type': 'application/problem+json',
  });
}

function stagingPrefix(partner: Partner, uploadId: string): string {
  // The partner's id in the key: another partner's token can never name this staged file.
  return `${BUCKET_LAYOUT.webStaging}${partner.partnerId}/${uploadId.replace(/[^A-Za-z0-9-]/g, '')}/`;
}

const FOLDER_LABELS: Record<string, string> = {
  'employees/all': 'Census — the full list of eligible employees',
  'employees/new': 'Census — newcomers only',
  'employees/leavers': 'Census — leavers only',
  'flexben/add-or-update': 'Credits — add or update',
  'flexben/removal': 'Credits — remove',
};

function meOf(partner: Partner, email: string): MeBody {
  const uploadFolders = UPLOAD_FOLDERS.filter(
    (f) => f.entityTypes.includes(partner.entityType) && !f.nameOnly && f.folder !== 'dry-run',
  ).map((f) => ({
    folder: systemPath(partner.entityType, `${f.area}/upload/${f.folder}`),
    kind: f.area === 'employees' ? ('census' as const) : ('credits' as const),
    label: FOLDER_LABELS[`${f.area}/${f.folder}`] ?? `${f.area}/${f.folder}`,
  }));
  return {
    email,
    partnerId: partner.partnerId,
    entityType: partner.entityType,
    profile: partner.profile,
    companies: partner.companies.map((co) => ({ taxId: co.taxId, name: co.name })),
    uploadFolders,
  };
}

/** The census dry-run folder of the partner's tree, for a census folder; none for credits. */
function dryRunFolder(partner: Partner, folder: string): string | undefined {
  const census = UPLOAD_FOLDERS.some(
    (f) => f.area === 'employees' && systemPath(partner.entityType, `employees/upload/${f.folder}`) === folder,
  );
  return census ? systemPath(partner.entityType, 'employees/upload/dry-run') : undefined;
}

function rowOf(u: UploadRecord): UploadRowBody {
  return {
    uploadId: u.uploadId,
    fileName: uploadFileName(u),
    folder: `${u.area}/upload/${u.folder}`,
    receivedAt: u.receivedAt,
    status: u.status,
    settled: isSettled(u.status),
    source: u.source,
    author: u.author,
    ...(u.counts ? { rowsRead: u.counts.rowsRead, rowsApplied: u.counts.rowsApplied, rowsRejected: u.counts.rowsRejected } : {}),
    hasErrors: (u.errorCount ?? 0) > 0 || u.status === 'Rejected',
  };
}

function readableOf(text: string) {
  return Readable.from([Buffer.from(text)]);
}

/**
 * Writes a file into the partner's tree as the web channel (source WEB, the admin as author) and
 * announces it as a completed transfer (SPEC §15), so the pipeline takes it like an SFTP upload.
 */
async function sendIntoTree(
  deps: WebDeps,
  partner: Partner,
  email: string,
  relativePath: string,
  body: Readable,
): Promise<{ key: string; uploadId: string }> {
  const key = `${partnerPrefix(partner.partnerId)}${relativePath}`;
  const written = await deps.store.putStream(key, body, { metadata: { ...WEB_CHANNEL_METADATA, 'user-agent-id': `${email}@web` } });
  const head = await deps.store.head(key, written.versionId);
  await deps.announce({
    bucket: deps.store.bucket,
    key,
    etag: head?.eTag ?? written.eTag ?? '',
    bytes: head?.size ?? 0,
    username: partner.partnerId,
    channel: 'WEB',
  });
  const identity = head?.versionId ?? `${head?.eTag ?? ''}@${head?.lastModified.toISOString() ?? ''}`;
  return { key, uploadId: uploadIdOf(deps.store.bucket, key, identity) };
}

const DOWNLOAD_FOLDERS = [
  { path: 'employees/download', kind: 'eligible-list' },
  { path: 'flexben/download', kind: 'beneficiaries' },
  { path: 'payroll', kind: 'payroll' },
  { path: 'payroll/leavers', kind: 'payroll' },
  { path: 'reports', kind: 'report' },
] as const;

/** The download folders of the partner's tree, where the system writes its files. */
function downloadFolders(partner: Partner): { path: string; kind: (typeof DOWNLOAD_FOLDERS)[number]['kind'] }[] {
  const tree = new Set(treeFolders(partner.entityType));
  return DOWNLOAD_FOLDERS.map((f) => ({ path: systemPath(partner.entityType, f.path), kind: f.kind })).filter((f) => tree.has(f.path));
}
