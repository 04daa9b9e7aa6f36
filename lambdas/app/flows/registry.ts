import type { ApprovalRepo } from '../../adapters/approval-repo.ts';
import type { EmployeeRepo } from '../../adapters/employee-repo.ts';
import type { ObjectStore } from '../../adapters/object-store.ts';
import type { UploadRepo } from '../../adapters/upload-repo.ts';
import { approvalProcessor } from './approvals/approval-processor.ts';
import { eligibilityProcessor } from './eligibility/eligibility-processor.ts';
import type { FlexbenStores } from './flexben/flexben-files.ts';
import { flexbenProcessor } from './flexben/flexben-processor.ts';
import type { ProcessorRegistry } from './upload-processor.ts';

/**
 * The processors of the flows that exist, by upload folder. A folder without one gets a clear
 * rejection from the ingest path ("not available yet") instead of being dropped.
 */

export interface FlowDeps {
  readonly store: ObjectStore;
  readonly employees: EmployeeRepo;
  /** SPEC §4: data rows per file. */
  readonly maxRows: number;
  /** Credits and their history (SPEC §7); without them flexben folders are "not available yet". */
  readonly flexben?: FlexbenStores;
  /** Uploads awaiting approval are settled by a later confirmation (SPEC §10). */
  readonly uploads: UploadRepo;
  readonly approvals: ApprovalRepo;
}

export const DEFAULT_MAX_ROWS = 2_000_000;

export function createProcessors(deps: FlowDeps): ProcessorRegistry {
  return {
    'employees/all': eligibilityProcessor(deps, 'replace'),
    'employees/new': eligibilityProcessor(deps, 'add-only'),
    'employees/leavers': eligibilityProcessor(deps, 'remove-only'),
    'employees/dry-run': eligibilityProcessor(deps, 'replace', { dryRun: true }),
    ...(deps.flexben
      ? {
          'flexben/add-or-update': flexbenProcessor({ ...deps, ...deps.flexben }, 'add-or-update'),
          'flexben/removal': flexbenProcessor({ ...deps, ...deps.flexben }, 'removal'),
        }
      : {}),
    'employees/approvals': approvalProcessor(deps),
  };
}
