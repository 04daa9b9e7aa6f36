import { describe, expect, it } from 'vitest';
import { partnerFromOptions } from '../../cli/partner-options.ts';
import { parseInstant } from '../../cli/arguments.ts';
import {
  approvalExpiry,
  decidedState,
  decidedStatus,
  parseConfirmationName,
  pendingListName,
  pendingListPath,
} from '../../lambdas/core/uploads/approvals.ts';
import { classifyKey, isWritableLogicalPath, uploadFolderSpec } from '../../lambdas/core/partners/tree.ts';
import { composeApprovalEmail } from '../../lambdas/core/uploads/upload-email.ts';
import type { UploadRecord } from '../../lambdas/core/uploads/upload.ts';
import { listColumns, type ListedEmployee } from '../../lambdas/core/eligibility/eligible-list.ts';
import { retrofitProfile } from '../../lambdas/core/eligibility/profiles/retrofit.ts';
import { upwardsProfile } from '../../lambdas/core/eligibility/profiles/upwards.ts';
import { wellhubProfile } from '../../lambdas/core/eligibility/profiles/wellhub.ts';
import { removalsNeedApproval } from '../../lambdas/app/flows/approvals/approval-flow.ts';

/** SPEC §10's approval workflow, its pure parts: names, expiry, outcomes, who needs approval. */

const upload = { ts: 1764547200, name: 'ACME_benefits_access_20261201.csv' };

describe('approval names', () => {
  it('reads APPROVE- and DECLINE- confirmations, prefix in any case, name kept as is', () => {
    expect(parseConfirmationName('APPROVE-1764547200-ACME_benefits_access_20261201.csv')).toEqual({
      decision: 'approve',
      uploadName: '1764547200-ACME_benefits_access_20261201.csv',
    });
    expect(parseConfirmationName('decline-1764547200-list [v2].csv')).toEqual({
      decision: 'decline',
      uploadName: '1764547200-list [v2].csv',
    });
  });

  it('refuses names that are not confirmations', () => {
    for (const name of ['APPROVE.csv', 'APPROVE-list.csv', 'OK-1764547200-list.csv', '1764547200-list.csv'])
      expect(parseConfirmationName(name)).toBeUndefined();
  });

  it('names the pending list after the upload, in the approvals folder of the partner root', () => {
    expect(pendingListName(upload)).toBe('1764547200-ACME_benefits_access_20261201.csv-pending.csv');
    expect(pendingListPath({ entityType: 'single-entity' }, upload)).toBe(
      '/employees/upload/approvals/1764547200-ACME_benefits_access_20261201.csv-pending.csv',
    );
    expect(pendingListPath({ entityType: 'multi-entity' }, upload)).toMatch(/^\/multientity\/employees\/upload\/approvals\//);
  });

  it('keeps the pending list a system file the partner cannot overwrite, and takes empty confirmations', () => {
    expect(classifyKey(`partners/acme/employees/upload/approvals/${pendingListName(upload)}`)).toMatchObject({
      kind: 'ignored',
      reason: 'system-file',
    });
    expect(isWritableLogicalPath('single-entity', `/employees/upload/approvals/${pendingListName(upload)}`)).toBe(false);
    expect(isWritableLogicalPath('single-entity', '/employees/upload/approvals/APPROVE-1764547200-x.csv')).toBe(true);
    expect(uploadFolderSpec('employees', 'approvals')?.nameOnly).toBe(true);
  });
});

describe('approval outcomes', () => {
  it('expires 14 days after the request', () => {
    expect(approvalExpiry(new Date('2026-12-01T10:00:00Z')).toISOString()).toBe('2026-12-15T10:00:00.000Z');
  });

  it('ends the upload Succeeded when approved and Deleted otherwise', () => {
    expect(decidedStatus('approve')).toBe('Succeeded');
    expect(['decline', 'expire', 'supersede'].map((d) => decidedStatus(d as 'decline'))).toEqual(['Deleted', 'Deleted', 'Deleted']);
    expect(['approve', 'decline', 'expire', 'supersede'].map((d) => decidedState(d as 'approve'))).toEqual([
      'approved',
      'declined',
      'expired',
      'superseded',
    ]);
  });

  it('holds removals under upwards by default, and as each partner chooses', () => {
    expect(removalsNeedApproval({}, upwardsProfile)).toBe(true);
    expect(removalsNeedApproval({}, retrofitProfile)).toBe(false);
    expect(removalsNeedApproval({}, wellhubProfile)).toBe(false);
    expect(removalsNeedApproval({ approval: 'none' }, upwardsProfile)).toBe(false);
    expect(removalsNeedApproval({ approval: 'required' }, wellhubProfile)).toBe(true);
  });

  it('takes --approval on partner add, and refuses other values', () => {
    const options = { entityType: 'single-entity', company: ['37211173000169=Acme'], adminEmail: ['hr@acme.example'], sshKey: ['k.pub'] };
    const deps = { readFile: () => 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl a@b' };
    const chosen = partnerFromOptions('acme', { ...options, approval: 'required' }, deps);
    const bad = partnerFromOptions('acme', { ...options, approval: 'maybe' }, deps);
    const unset = partnerFromOptions('acme', options, deps);

    expect(chosen.ok && chosen.partner.approval).toBe('required');
    expect(bad).toMatchObject({ ok: false, error: expect.stringMatching(/--approval/) });
    expect(unset.ok && unset.partner.approval).toBeUndefined();
  });

  it('reads --now as an ISO instant', () => {
    expect(parseInstant('2026-12-15T00:00:00Z').toISOString()).toBe('2026-12-15T00:00:00.000Z');
    expect(parseInstant('2026-12-15').toISOString()).toBe('2026-12-15T00:00:00.000Z');
    expect(() => parseInstant('next week')).toThrow(/ISO 8601/);
  });
});

describe('the approval email', () => {
  it('says where the people are and how to answer, without identifiers', () => {
    const record = {
      ...upload,
      status: 'Approval_Requested',
      counts: { rowsRead: 4, rowsApplied: 4, rowsRejected: 0 },
    } as unknown as UploadRecord;

    const { subject, text } = composeApprovalEmail(
      record,
      '/employees/upload/approvals/p.csv',
      '/employees/upload/approvals/',
      [],
      '/r.csv',
    );

    expect(subject).toContain('needs your approval');
    expect(text).toContain('APPROVE-1764547200-ACME_benefits_access_20261201.csv');
    expect(text).toContain('DECLINE-1764547200-ACME_benefits_access_20261201.csv');
    expect(text).toContain('/employees/upload/approvals/p.csv');
    expect(text).toContain('14 days');
    expect(text).not.toContain('Errors');
  });
});

describe('list columns of profiles with columns decided per file', () => {
  it('adds stored custom and phone columns after the profile’s own, under their headers', () => {
    const employees: ListedEmployee[] = [
      { companyTaxId: 'x', values: { employeeId: '1', 'custom:Location': 'NYC', 'phone-cell:Cell Phone': '' } },
      { companyTaxId: 'x', values: { employeeId: '2', 'phone-cell:Cell Phone': '8471234567' } },
    ];

    const columns = listColumns(retrofitProfile, employees);

    expect(columns.slice(0, 5).map((c) => c.header)).toEqual(['External Id', 'First Name', 'Last Name', 'Email', 'Eligibility Type']);
    expect(columns.slice(-2)).toEqual([
      { field: 'phone-cell:Cell Phone', header: 'Cell Phone' },
      { field: 'custom:Location', header: 'Location' },
    ]);
    expect(listColumns(wellhubProfile).map((c) => c.header)).toEqual(wellhubProfile.columns.map((c) => c.header));
  });
});
