import type { ApprovalRepo } from '../../adapters/approval-repo.ts';
import type { EmployeeRepo } from '../../adapters/employee-repo.ts';
import type { ObjectStore } from '../../adapters/object-store.ts';
import type { PartnerRepo } from '../../adapters/partner-repo.ts';
import type { PlatformEventRepo } from '../../adapters/platform-event-repo.ts';
import type { UploadRepo } from '../../adapters/upload-repo.ts';
import type { Log } from '../ingest/pipeline-deps.ts';

/** What the scheduled jobs and the event loader need from the outside world. */
export interface JobDeps {
  readonly store: ObjectStore;
  readonly partners: PartnerRepo;
  readonly employees: EmployeeRepo;
  readonly events: PlatformEventRepo;
  /** Uploads and the approvals kept beside them (the approval expiry sweep). */
  readonly uploads: UploadRepo;
  readonly approvals: ApprovalRepo;
  readonly log: Log;
  readonly clock: () => Date;
}
