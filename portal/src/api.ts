import type { z } from 'zod';
import type {
  ApprovalList,
  DownloadLink,
  DownloadList,
  Me,
  NewUpload,
  SignInResponse,
  Submitted,
  Tokens,
  UploadErrors,
  UploadList,
} from '../../lambdas/core/web/api-schemas.ts';

/** The portal's client of /api/v1; the types come from the API's own schemas. */

export type MeBody = z.infer<typeof Me>;
export type UploadRowBody = z.infer<typeof UploadList>['uploads'][number];
export type ErrorsBody = z.infer<typeof UploadErrors>;
export type DownloadBody = z.infer<typeof DownloadList>['files'][number];
export type ApprovalBody = z.infer<typeof ApprovalList>['approvals'][number];

/** What the API said went wrong, in its words (a problem document). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
  ) {
    super(detail ? `${title}: ${detail}` : title);
  }
}

let token: string | undefined = sessionStorage.getItem('bx-token') ?? undefined;

export const signedIn = (): boolean => token !== undefined;
export function signOut(): void {
  token = undefined;
  sessionStorage.removeItem('bx-token');
}
function keep(tokens: z.infer<typeof Tokens>): void {
  token = tokens.idToken;
  sessionStorage.setItem('bx-token', token);
}

async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
  const headers = new Headers(init.headers);
  if (token) headers.set('authorization', `Bearer ${token}`);
  if (init.body && typeof init.body === 'string') headers.set('content-type', 'application/json');
  const response = await fetch(`/api/v1${path}`, { ...init, headers });
  if (!response.ok) {
    const problem = (await response.json().catch(() => ({}))) as { title?: string; detail?: string };
    if (response.status === 401 && !path.startsWith('/auth/')) signOut();
    throw new ApiError(response.status, problem.title ?? `The server answered ${response.status}`, problem.detail);
  }
  return (response.headers.get('content-type') ?? '').includes('json') ? ((await response.json()) as T) : ((await response.text()) as T);
}

export async function signIn(email: string, password: string): Promise<{ session?: string }> {
  const result = await call<z.infer<typeof SignInResponse>>('/auth/sign-in', { method: 'POST', body: JSON.stringify({ email, password }) });
  if ('challenge' in result) return { session: result.session };
  keep(result);
  return {};
}

export async function newPassword(email: string, session: string, password: string): Promise<void> {
  keep(await call('/auth/new-password', { method: 'POST', body: JSON.stringify({ email, session, newPassword: password }) }));
}

export const me = (): Promise<MeBody> => call('/me');
export const uploads = async (): Promise<UploadRowBody[]> => (await call<z.infer<typeof UploadList>>('/uploads')).uploads;
export const errorsOf = (uploadId: string): Promise<ErrorsBody> => call(`/uploads/${encodeURIComponent(uploadId)}/errors`);
export const errorsCsv = (uploadId: string): Promise<string> => call(`/uploads/${encodeURIComponent(uploadId)}/errors?format=csv`);
export const downloads = async (): Promise<DownloadBody[]> => (await call<z.infer<typeof DownloadList>>('/downloads')).files;
export const downloadLink = (id: string): Promise<z.infer<typeof DownloadLink>> => call(`/downloads/${encodeURIComponent(id)}`);
export const approvals = async (): Promise<ApprovalBody[]> => (await call<z.infer<typeof ApprovalList>>('/approvals')).approvals;
export const decide = (approvalId: string, decision: 'approve' | 'decline'): Promise<unknown> =>
  call(`/approvals/${encodeURIComponent(approvalId)}/${decision}`, { method: 'POST' });

/** Stages `file` for `folder`, sending it with progress; returns the staged upload's id. */
export async function stage(folder: string, file: File, onProgress: (fraction: number) => void): Promise<string> {
  const created = await call<z.infer<typeof NewUpload>>('/uploads', {
    method: 'POST',
    body: JSON.stringify({ folder, fileName: file.name, size: file.size }),
  });
  const form = new FormData();
  for (const [k, v] of Object.entries(created.upload.fields)) form.append(k, v);
  form.append('file', file);
  await new Promise<void>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', created.upload.url);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => (xhr.status < 300 ? resolve() : reject(new ApiError(xhr.status, 'The file could not be uploaded', xhr.statusText)));
    xhr.onerror = () => reject(new ApiError(0, 'The file could not be uploaded', 'The connection was lost.'));
    xhr.send(form);
  });
  return created.uploadId;
}

export const send = (uploadId: string, action: 'preview' | 'confirm'): Promise<z.infer<typeof Submitted>> =>
  call(`/uploads/${encodeURIComponent(uploadId)}/${action}`, { method: 'POST' });

/** Waits until the upload has its final status (the pipeline runs it asynchronously). */
export async function settled(uploadId: string): Promise<UploadRowBody> {
  for (;;) {
    const row = (await uploads()).find((u) => u.uploadId === uploadId);
    if (row?.settled) return row;
    await new Promise((r) => setTimeout(r, 1000));
  }
}
