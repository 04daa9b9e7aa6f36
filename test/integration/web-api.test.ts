import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readRecordedEmails } from '../../lambdas/adapters/recording-mailer.ts';
import { syncPortalUsers } from '../../lambdas/app/web/invitations.ts';
import { systemPath } from '../../lambdas/core/partners/tree.ts';
import { isSettled, type UploadStatus } from '../../lambdas/core/uploads/upload.ts';
import {
  ApprovalList,
  ApprovalSent,
  DownloadLink,
  DownloadList,
  Me,
  NewUpload,
  Problem,
  Submitted,
  Tokens,
  UploadErrors,
  UploadList,
} from '../../lambdas/core/web/api-schemas.ts';
import { parseSmallCsv, startHarness, waitFor, type Harness, type SftpSession, type TestPartner } from '../support/local-harness.ts';
import { cli, keyFiles } from '../support/operator-cli.ts';
import { ACME, csvOf, person } from './eligibility-support.ts';

/**
 * The web channel's JSON API (SPEC §18) against local mode: an admin invited by email signs in
 * with the temporary password, sets a new one, uploads a census with a preview and then for real,
 * and reads the history and errors; another partner's admin sees none of it.
 */

let harness: Harness;
let acme: TestPartner;
let sftp: SftpSession;
let api: string;
const ADMIN = 'hr@acme.example';
const OTHER_ADMIN = 'hr@globex.example';

async function call(path: string, init: RequestInit & { token?: string } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set('authorization', `Bearer ${init.token}`);
  if (init.body && !headers.has('content-type')) headers.set('content-type', 'application/json');
  const response = await fetch(`${api}${path}`, { ...init, headers });
  const type = response.headers.get('content-type') ?? '';
  if (/json/.test(type)) {
    answers.push({
      method: (init.method ?? 'GET').toLowerCase(),
      path: path.split('?')[0] ?? path,
      status: response.status,
      body: await response.clone().json(),
    });
  }
  return response;
}

/** Every JSON answer of this file, checked against the OpenAPI document at the end. */
const answers: { method: string; path: string; status: number; body: unknown }[] = [];

async function temporaryPasswordOf(email: string): Promise<string> {
  const emails = await waitFor(
    () => readRecordedEmails(harness.pipeline.deps.store),
    (all) => all.some((m) => m.to.includes(email)),
  );
  const text = emails.find((m) => m.to.includes(email))?.body ?? '';
  return /temporary password: (\S+)/.exec(text)?.[1] ?? '';
}

async function signInFirstTime(email: string): Promise<string> {
  const first = await call('/api/v1/auth/sign-in', {
    method: 'POST',
    body: JSON.stringify({ email, password: await temporaryPasswordOf(email) }),
  });
  expect(first.status).toBe(200);
  const challenge = (await first.json()) as { challenge: string; session: string };
  expect(challenge.challenge).toBe('NEW_PASSWORD_REQUIRED');
  const set = await call('/api/v1/auth/new-password', {
    method: 'POST',
    body: JSON.stringify({ email, session: challenge.session, newPassword: 'A-new-Passw0rd-for-tests' }),
  });
  expect(set.status).toBe(200);
  return Tokens.parse(await set.json()).idToken;
}

/** Stages a file through the presigned POST, as the portal does. */
async function stage(token: string, folder: string, fileName: string, body: string): Promise<string> {
  const created = await call('/api/v1/uploads', {
    method: 'POST',
    token,
    body: JSON.stringify({ folder, fileName, size: Buffer.byteLength(body) }),
  });
  expect(created.status).toBe(201);
  const { uploadId, upload } = NewUpload.parse(await created.json());
  const form = new FormData();
  for (const [k, v] of Object.entries(upload.fields)) form.append(k, v);
  form.append('file', new Blob([body], { type: 'text/csv' }), fileName);
  const posted = await fetch(upload.url, { method: 'POST', body: form });
  expect(posted.status).toBeLessThan(300);
  return uploadId;
}

async function settledRow(token: string, uploadId: string) {
  const list = await waitFor(
    async () => UploadList.parse(await (await call('/api/v1/uploads', { token })).json()),
    (l) => l.uploads.some((u) => u.uploadId === uploadId && u.settled),
    60_000,
  );
  return list.uploads.find((u) => u.uploadId === uploadId)!;
}

beforeAll(async () => {
  harness = await startHarness({ webPort: 0 });
  api = harness.pipeline.web!.url;
  acme = await harness.addPartner('acme', 'single-entity', { adminEmails: [ADMIN], approval: 'required' });
  const globex = await harness.addPartner('globex', 'single-entity', { adminEmails: [OTHER_ADMIN] });
  const deps = { users: harness.pipeline.portalUsers, mailer: harness.pipeline.deps.mailer };
  await syncPortalUsers(deps, acme.partner, api);
  await syncPortalUsers(deps, globex.partner, api);
  sftp = await acme.connect();
}, 60_000);

afterAll(async () => harness?.stop());

describe('web API (SPEC §18)', () => {
  let token: string;
  let otherToken: string;

  it('signs an invited admin in: temporary password from the invitation, then a new one', async () => {
    token = await signInFirstTime(ADMIN);
    otherToken = await signInFirstTime(OTHER_ADMIN);
    const me = Me.parse(await (await call('/api/v1/me', { token })).json());
    expect(me).toMatchObject({ email: ADMIN, partnerId: 'acme', entityType: 'single-entity' });
    expect(me.uploadFolders.map((f) => f.folder)).toContain(systemPath('single-entity', 'employees/upload/all'));
  });

  it('refuses a wrong password, and requests without a valid token, with problem documents', async () => {
    const wrong = await call('/api/v1/auth/sign-in', { method: 'POST', body: JSON.stringify({ email: ADMIN, password: 'not-it-at-all' }) });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('content-type')).toContain('application/problem+json');
    expect(Problem.parse(await wrong.json()).detail).toBe('The email or password is not right.');
    expect((await call('/api/v1/me')).status).toBe(401);
    expect((await call('/api/v1/me', { token: `${token.slice(0, -4)}AAAA` })).status).toBe(401);
  });

  it('previews a census as a dry run with the SFTP texts, then imports the corrected file with source WEB and the admin as author', async () => {
    const census = csvOf([...Array.from({ length: 20 }, (_, i) => person(i + 1)), person(21, ACME, { Email: 'dacus@modigliani@com' })]);
    const folder = systemPath('single-entity', 'employees/upload/all');
    const uploadId = await stage(token, folder, 'census.csv', census);

    const preview = await call(`/api/v1/uploads/${uploadId}/preview`, { method: 'POST', token });
    expect(preview.status).toBe(202);
    const dryRun = Submitted.parse(await preview.json());
    expect(dryRun.folder).toBe(systemPath('single-entity', 'employees/upload/dry-run'));
    const previewed = await settledRow(token, dryRun.uploadId);
    expect(previewed).toMatchObject({ source: 'WEB', author: ADMIN, hasErrors: true });
    const errors = UploadErrors.parse(await (await call(`/api/v1/uploads/${dryRun.uploadId}/errors`, { token })).json());
    // The same rows, texts and preview counts as the report a dry run over SFTP writes.
    expect(errors.errors).toEqual([
      expect.objectContaining({ 'Field Name': 'Email', 'Error Description': 'Email "dacus@modigliani@com" is not a valid email address.' }),
      expect.objectContaining({ 'Error Description': expect.stringMatching(/^Preview: 20 to add, .* 1 rows rejected/) }),
    ]);
    const csv = await call(`/api/v1/uploads/${dryRun.uploadId}/errors?format=csv`, { token });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const fromTree = (await sftp.get(`/${systemPath('single-entity', `employees/upload/error-details/${previewed.fileName}`)}`)).toString(
      'utf8',
    );
    expect(await csv.text()).toBe(fromTree);
    expect(await harness.pipeline.employees.allOf('acme', ACME)[Symbol.asyncIterator]().next()).toMatchObject({ done: true });

    // The admin fixes the row the preview showed, and imports the corrected file.
    const corrected = await stage(token, folder, 'census.csv', csvOf(Array.from({ length: 21 }, (_, i) => person(i + 1))));
    const confirm = await call(`/api/v1/uploads/${corrected}/confirm`, { method: 'POST', token });
    expect(confirm.status).toBe(202);
    const imported = Submitted.parse(await confirm.json());
    const row = await settledRow(token, imported.uploadId);
    expect(row).toMatchObject({ status: 'Succeeded', source: 'WEB', author: ADMIN, rowsApplied: 21, rowsRejected: 0, hasErrors: false });
    // status.csv is rewritten just after the uploads table settles: wait for its row to settle too.
    const status = await waitFor(
      async () => parseSmallCsv((await sftp.get(`/${systemPath('single-entity', 'employees/upload/status.csv')}`)).toString('utf8')),
      (rows) => rows.some((r) => r.filename === row.fileName && isSettled(r.processing_status as UploadStatus)),
      30_000,
    );
    expect(status.find((r) => r.filename === row.fileName)).toMatchObject({ source: 'WEB', processing_status: 'Succeeded' });
    let stored = 0;
    for await (const _ of harness.pipeline.employees.allOf('acme', ACME)) stored += 1;
    expect(stored).toBe(21);
  }, 120_000);

  it('lists the download folders and hands out the eligible list by a presigned link', async () => {
    const { files } = DownloadList.parse(await (await call('/api/v1/downloads', { token })).json());
    const list = files.find((f) => f.kind === 'eligible-list');
    expect(list?.name).toMatch(/^\d+_Eligible-list\.csv$/);
    const link = DownloadLink.parse(await (await call(`/api/v1/downloads/${list?.id}`, { token })).json());
    const downloaded = await (await fetch(link.url)).text();
    const overSftp = (await sftp.get(`/${systemPath('single-entity', `employees/download/${list?.name}`)}`)).toString('utf8');
    expect(downloaded).toBe(overSftp);
    expect(downloaded).toContain('Person 0021');
    // Another partner's admin neither sees it nor gets a link to it.
    const theirs = DownloadList.parse(await (await call('/api/v1/downloads', { token: otherToken })).json()).files;
    expect(theirs.map((f) => f.id)).not.toContain(list?.id);
    expect((await call(`/api/v1/downloads/${list?.id}`, { token: otherToken })).status).toBe(404);
    const outside = Buffer.from('employees/upload/status.csv').toString('base64url');
    expect((await call(`/api/v1/downloads/${outside}`, { token })).status).toBe(404);
  });

  it('approves a pending removal: the listed upload waits, approve removes the person, as the APPROVE- file would', async () => {
    const folder = systemPath('single-entity', 'employees/upload/all');
    const staged = await stage(token, folder, 'without-21.csv', csvOf(Array.from({ length: 20 }, (_, i) => person(i + 1))));
    const sent = Submitted.parse(await (await call(`/api/v1/uploads/${staged}/confirm`, { method: 'POST', token })).json());
    expect(await settledRow(token, sent.uploadId)).toMatchObject({ status: 'Approval_Requested' });
    const { approvals } = ApprovalList.parse(await (await call('/api/v1/approvals', { token })).json());
    expect(approvals).toEqual([expect.objectContaining({ uploadId: sent.uploadId, removals: 1 })]);
    const approvalId = approvals[0]!.approvalId;

    // Another partner's admin cannot see or decide it.
    expect(ApprovalList.parse(await (await call('/api/v1/approvals', { token: otherToken })).json()).approvals).toEqual([]);
    expect((await call(`/api/v1/approvals/${approvalId}/approve`, { method: 'POST', token: otherToken })).status).toBe(404);

    const approve = await call(`/api/v1/approvals/${approvalId}/approve`, { method: 'POST', token });
    expect(approve.status).toBe(202);
    expect(ApprovalSent.parse(await approve.json())).toEqual({ approvalId, decision: 'approve', fileName: `APPROVE-${approvalId}` });
    await waitFor(
      async () =>
        UploadList.parse(await (await call('/api/v1/uploads', { token })).json()).uploads.find((u) => u.uploadId === sent.uploadId),
      (u) => u?.status === 'Succeeded',
      60_000,
    );
    let active = 0;
    for await (const e of harness.pipeline.employees.allOf('acme', ACME)) if (e.active) active += 1;
    expect(active).toBe(20);
    expect((await call(`/api/v1/approvals/${approvalId}/approve`, { method: 'POST', token })).status).toBe(404);
    expect((await call(`/api/v1/approvals/${approvalId}/decline`, { method: 'POST', token })).status).toBe(404);
  }, 120_000);

  it('refuses a folder the partner does not have and a name SFTP would refuse, with the same texts', async () => {
    const bad = await call('/api/v1/uploads', {
      method: 'POST',
      token,
      body: JSON.stringify({ folder: 'flexben/upload/removal', fileName: 'a.csv', size: 1 }),
    });
    expect(bad.status).toBe(400);
    expect(Problem.parse(await bad.json()).detail).toContain('is not an upload folder of this partner');
    const name = await call('/api/v1/uploads', {
      method: 'POST',
      token,
      body: JSON.stringify({ folder: systemPath('single-entity', 'employees/upload/all'), fileName: 'a\tb.csv', size: 1 }),
    });
    expect(name.status).toBe(400);
  });

  it("never shows one partner's uploads to another partner's admin", async () => {
    const mine = UploadList.parse(await (await call('/api/v1/uploads', { token })).json()).uploads;
    expect(mine.length).toBeGreaterThan(0);
    const theirs = UploadList.parse(await (await call('/api/v1/uploads', { token: otherToken })).json()).uploads;
    expect(theirs).toEqual([]);
    const id = mine[0]!.uploadId;
    expect((await call(`/api/v1/uploads/${id}/errors`, { token: otherToken })).status).toBe(404);
    expect((await call(`/api/v1/uploads/${id}/errors?format=csv`, { token: otherToken })).status).toBe(404);
    // A staged file of acme's cannot be confirmed or previewed with globex's token.
    const staged = await stage(token, systemPath('single-entity', 'employees/upload/all'), 'later.csv', csvOf([person(9)]));
    for (const action of ['preview', 'confirm']) {
      const response = await call(`/api/v1/uploads/${staged}/${action}`, { method: 'POST', token: otherToken });
      expect(response.status).toBe(404);
    }
    expect((await call('/api/v1/me', { token: otherToken, headers: { 'x-partner-id': 'acme' } })).status).toBe(403);
  }, 60_000);

  it('serves an OpenAPI 3.1 document of every route, generated from the schemas', async () => {
    const doc = (await (await call('/api/v1/openapi.json')).json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/api/v1/approvals',
      '/api/v1/approvals/{approvalId}/approve',
      '/api/v1/approvals/{approvalId}/decline',
      '/api/v1/auth/new-password',
      '/api/v1/auth/sign-in',
      '/api/v1/downloads',
      '/api/v1/downloads/{id}',
      '/api/v1/me',
      '/api/v1/uploads',
      '/api/v1/uploads/{uploadId}/confirm',
      '/api/v1/uploads/{uploadId}/errors',
      '/api/v1/uploads/{uploadId}/preview',
    ]);
  });

  it('partner add invites each admin by an email `emails` shows; partner update invites new admins and removes the old', async () => {
    Object.assign(process.env, { AWS_ENDPOINT_URL: inject('awsEndpoint'), BX_LOCAL_PREFIX: harness.prefix, AWS_REGION: 'us-east-1' });
    const add = await cli(
      'partner',
      'add',
      'initech',
      '--entity-type',
      'single-entity',
      '--company',
      ACME,
      '--admin-email',
      'boss@initech.example',
      '--ssh-key',
      keyFiles('initech').public,
    );
    expect(add.code).toBe(0);
    expect(add.stdout).toContain('portal: 1 admin invited');
    const shown = JSON.parse((await cli('emails', '--partner', 'initech', '--json')).stdout) as { subject: string; body: string }[];
    expect(shown.map((e) => e.subject)).toEqual(['Your benefits exchange portal account']);
    expect(shown[0]?.body).toContain('temporary password: ');
    const boss = await signInFirstTime('boss@initech.example');
    expect(Me.parse(await (await call('/api/v1/me', { token: boss })).json()).partnerId).toBe('initech');

    const update = await cli(
      'partner',
      'update',
      'initech',
      '--add-admin-email',
      'new@initech.example',
      '--remove-admin-email',
      'boss@initech.example',
    );
    expect(update.code).toBe(0);
    expect(update.stdout).toContain('portal: 1 admin invited, 1 removed');
    await signInFirstTime('new@initech.example');
    const gone = await call('/api/v1/auth/sign-in', {
      method: 'POST',
      body: JSON.stringify({ email: 'boss@initech.example', password: 'A-new-Passw0rd-for-tests' }),
    });
    expect(gone.status).toBe(401);
  }, 60_000);

  it('answered every request of this file as its OpenAPI document says, errors included', async () => {
    const doc = (await (await fetch(`${api}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: object }> }> }>>;
      components: object;
    };
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    const routes = Object.keys(doc.paths).map((template) => ({
      template,
      pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
    }));
    const checked = new Set<string>();
    for (const answer of answers.filter((a) => a.path !== '/api/v1/openapi.json')) {
      const route = routes.find((r) => r.pattern.test(answer.path));
      expect(route, `${answer.method} ${answer.path} is not in the document`).toBeDefined();
      const operation = doc.paths[route!.template]?.[answer.method];
      expect(operation, `${answer.method} ${route!.template} is not in the document`).toBeDefined();
      // A documented status, or the problem document every route may answer (401, 403, 500).
      const content = operation!.responses[String(answer.status)]?.content;
      const schema = content?.['application/json']?.schema ??
        content?.['application/problem+json']?.schema ?? { $ref: '#/components/schemas/Problem' };
      const validate = ajv.compile({ ...schema, components: doc.components });
      expect(validate(answer.body), `${answer.method} ${answer.path} ${answer.status}: ${ajv.errorsText(validate.errors)}`).toBe(true);
      checked.add(`${answer.method} ${route!.template}`);
    }
    // Every documented operation was exercised by this file.
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`));
    expect(documented.filter((op) => !checked.has(op) && op !== 'get /api/v1/openapi.json')).toEqual([]);
  });
});
