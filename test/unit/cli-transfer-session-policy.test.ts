import { describe, expect, it } from 'vitest';
import { transferSessionPolicy } from '../../lib/transfer-session-policy.ts';

interface Statement {
  Sid: string;
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string[]>>;
}

const BUCKET = 'bx-dev-exchange';
const ARN = `arn:aws:s3:::${BUCKET}`;
const HOME = `${ARN}/partners/\${transfer:UserName}/`;

function statements(): Statement[] {
  return (JSON.parse(transferSessionPolicy(BUCKET)) as { Statement: Statement[] }).Statement;
}

const list = (value: string | string[]): string[] => (Array.isArray(value) ? value : [value]);

/** What S3 does with a Resource pattern: `*` matches any run of characters, `/` included. */
function matches(pattern: string, arn: string): boolean {
  const regex = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${regex}$`).test(arn);
}

/** Evaluates the policy for an object action of partner `acme`, the way IAM does (deny wins). */
function allowed(action: string, key: string): boolean {
  const arn = `${ARN}/${key}`;
  const applicable = statements().filter(
    (s) => list(s.Action).includes(action) && list(s.Resource).some((r) => matches(r.replaceAll('${transfer:UserName}', 'acme'), arn)),
  );
  return applicable.some((s) => s.Effect === 'Allow') && !applicable.some((s) => s.Effect === 'Deny');
}

describe('transferSessionPolicy', () => {
  it('is a 2012-10-17 policy within the 2,048 characters Transfer accepts, even for a 63-character bucket', () => {
    expect(JSON.parse(transferSessionPolicy(BUCKET)).Version).toBe('2012-10-17');
    expect(transferSessionPolicy('b'.repeat(63)).length).toBeLessThanOrEqual(2048);
  });

  it('lists the bucket only under the partner home, always with its trailing slash', () => {
    const listing = statements().filter((s) => list(s.Action).includes('s3:ListBucket'));
    expect(listing).toHaveLength(1);
    expect(listing[0]).toMatchObject({ Effect: 'Allow', Resource: ARN });
    expect(listing[0]?.Condition).toEqual({
      StringLike: { 's3:prefix': ['partners/${transfer:UserName}/', 'partners/${transfer:UserName}/*'] },
    });
  });

  it('reads the whole own tree, nothing else', () => {
    const reading = statements().filter((s) => list(s.Action).includes('s3:GetObject'));
    expect(reading.map((s) => [s.Effect, s.Resource])).toEqual([['Allow', `${HOME}*`]]);
    expect(list(reading[0]?.Action ?? [])).toContain('s3:GetObjectVersion');
    expect(allowed('s3:GetObject', 'partners/acme/multientity/payroll/202611_wellhub_payroll_deduction.zip')).toBe(true);
    expect(allowed('s3:GetObject', 'partners/acme-2/employees/download/list.csv')).toBe(false);
    expect(allowed('s3:GetObject', 'archive/uploads/acme/x.csv')).toBe(false);
  });

  it.each([
    'partners/acme/employees/upload/all/file.csv',
    'partners/acme/employees/upload/new/file.csv',
    'partners/acme/multientity/employees/upload/dry-run/file.csv',
    'partners/acme/channelpartner/flexben/upload/removal/file.csv',
    'partners/acme/multientity/employees/upload/approvals/APPROVE-1764000000-file.csv',
    'partners/acme/employees/upload/all/file.csv.filepart',
  ])('lets the partner put and delete %s', (key) => {
    for (const action of ['s3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion']) expect(allowed(action, key)).toBe(true);
  });

  it.each([
    'partners/acme/employees/upload/status.csv',
    'partners/acme/multientity/employees/upload/status.csv',
    'partners/acme/employees/upload/error-details/1764000000-file.csv',
    'partners/acme/channelpartner/employees/upload/error-details/1764000000-file.csv',
    'partners/acme/employees/upload/approvals/1764000000-file-pending.csv',
    'partners/acme/multientity/employees/upload/approvals/1764000000-file-pending.csv',
    'partners/acme/employees/download/1764000000_Eligible-list.csv',
    'partners/acme/multientity/payroll/x.csv',
    'partners/acme/reports/employees/upload/all/x.csv',
    'partners/acme/flexben/download/beneficiaries-list.csv',
    'partners/acme-2/employees/upload/all/file.csv',
    'partners/other/employees/upload/all/file.csv',
  ])('never lets the partner put or delete %s', (key) => {
    for (const action of ['s3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion']) expect(allowed(action, key)).toBe(false);
  });

  it('denies writes to system files explicitly, so a broader role cannot reopen them', () => {
    const deny = statements().filter((s) => s.Effect === 'Deny');
    expect(deny).toHaveLength(1);
    expect(list(deny[0]?.Action ?? [])).toEqual(['s3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion']);
    expect(list(deny[0]?.Resource ?? [])).toEqual([
      `${HOME}*employees/upload/status.csv`,
      `${HOME}*employees/upload/error-details/*`,
      `${HOME}*/upload/approvals/*-pending.csv`,
    ]);
  });
});
