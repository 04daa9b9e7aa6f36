import { z } from '@hono/zod-openapi';

/**
 * The web channel's JSON contract (SPEC §18): every request and response of /api/v1, named for
 * the OpenAPI document generated from them (GET /api/v1/openapi.json). The routes validate what
 * comes in and the tests validate what goes out against these same schemas.
 */

export const Problem = z
  .object({
    type: z.string().openapi({ example: 'about:blank' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
  })
  .openapi('Problem', { description: 'An error, as RFC 9457 problem details.' });

export const SignInRequest = z.object({ email: z.email(), password: z.string().min(1) }).openapi('SignInRequest');
export const Tokens = z.object({ idToken: z.string(), expiresIn: z.number().int() }).openapi('Tokens');
export const NewPasswordChallenge = z
  .object({ challenge: z.literal('NEW_PASSWORD_REQUIRED'), session: z.string() })
  .openapi('NewPasswordChallenge', { description: 'First sign-in with the temporary password: choose a new one.' });
export const SignInResponse = z.union([Tokens, NewPasswordChallenge]).openapi('SignInResponse');
export const NewPasswordRequest = z
  .object({ email: z.email(), session: z.string().min(1), newPassword: z.string().min(1) })
  .openapi('NewPasswordRequest');

export const UploadFolder = z
  .object({
    folder: z.string().openapi({ example: 'employees/upload/all' }),
    kind: z.enum(['census', 'credits']),
    label: z.string(),
  })
  .openapi('UploadFolder');

export const Me = z
  .object({
    email: z.string(),
    partnerId: z.string(),
    entityType: z.string(),
    profile: z.string(),
    companies: z.array(z.object({ taxId: z.string(), name: z.string() })),
    uploadFolders: z.array(UploadFolder),
  })
  .openapi('Me');

export const NewUploadRequest = z
  .object({
    folder: z.string().min(1).openapi({ example: 'employees/upload/all' }),
    fileName: z.string().min(1).openapi({ example: 'census.csv' }),
    size: z.number().int().nonnegative(),
  })
  .openapi('NewUploadRequest');

export const NewUpload = z
  .object({
    uploadId: z.string(),
    upload: z.object({ url: z.string(), fields: z.record(z.string(), z.string()) }).openapi({
      description: 'A presigned POST: send the fields and then the file as multipart/form-data.',
    }),
    maxBytes: z.number().int(),
    expiresAt: z.string(),
  })
  .openapi('NewUpload');

export const Submitted = z
  .object({
    fileName: z.string(),
    folder: z.string(),
    uploadId: z.string().openapi({ description: 'The upload as it appears in GET /uploads once the pipeline recorded it.' }),
  })
  .openapi('Submitted');

export const UploadRow = z
  .object({
    uploadId: z.string(),
    fileName: z.string(),
    folder: z.string(),
    receivedAt: z.string(),
    status: z.string(),
    settled: z.boolean().openapi({ description: 'The upload has its final status (nothing more will happen to it).' }),
    source: z.enum(['SFTP', 'WEB']),
    author: z.string(),
    rowsRead: z.number().int().optional(),
    rowsApplied: z.number().int().optional(),
    rowsRejected: z.number().int().optional(),
    hasErrors: z.boolean(),
  })
  .openapi('UploadRow');

export const UploadList = z.object({ uploads: z.array(UploadRow) }).openapi('UploadList');

export const ReportLine = z
  .record(z.string(), z.string())
  .openapi('ReportLine', { description: "One row of the upload's error report, by the report's column names." });
export const UploadErrors = z.object({ columns: z.array(z.string()), errors: z.array(ReportLine) }).openapi('UploadErrors');

export type MeBody = z.infer<typeof Me>;
export type UploadRowBody = z.infer<typeof UploadRow>;

export const DownloadFile = z
  .object({
    id: z.string(),
    kind: z.enum(['eligible-list', 'beneficiaries', 'payroll', 'report']),
    name: z.string(),
    size: z.number().int(),
    lastModified: z.string(),
  })
  .openapi('DownloadFile');
export const DownloadList = z.object({ files: z.array(DownloadFile) }).openapi('DownloadList');
export const DownloadLink = z
  .object({ url: z.string(), expiresAt: z.string() })
  .openapi('DownloadLink', { description: 'A presigned GET of the file, valid until expiresAt.' });

export const PendingApproval = z
  .object({
    approvalId: z.string().openapi({ description: 'The `{ts}-{name}` of the upload whose removals wait.' }),
    uploadId: z.string(),
    removals: z.number().int(),
    requestedAt: z.string(),
    expiresAt: z.string(),
  })
  .openapi('PendingApproval');
export const ApprovalList = z.object({ approvals: z.array(PendingApproval) }).openapi('ApprovalList');
export const ApprovalSent = z
  .object({ approvalId: z.string(), decision: z.enum(['approve', 'decline']), fileName: z.string() })
  .openapi('ApprovalSent', {
    description: 'The decision, sent as the APPROVE- or DECLINE- file SPEC §10 names; the upload settles shortly.',
  });
