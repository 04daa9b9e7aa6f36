import type { CreditRepo } from '../../../adapters/credit-repo.ts';
import type { ObjectStore } from '../../../adapters/object-store.ts';
import { writeRenderedSystemFile, writeSystemFile } from '../../files/system-files.ts';
import type { UploadRepo } from '../../../adapters/upload-repo.ts';
import type { Partner } from '../../../core/partners/partner.ts';
import { FLEXBEN_HISTORY_ROWS, renderFlexbenHistory } from '../../../core/uploads/status-files.ts';
import { partnerPrefix, systemPath } from '../../../core/partners/tree.ts';
import { isSettled } from '../../../core/uploads/upload.ts';
import { BENEFICIARIES_LIST, beneficiariesListStream } from '../../../core/flexben/beneficiaries-list.ts';
import type { StoredCredit } from '../../../core/flexben/model.ts';

/**
 * The flexben files a partner downloads (SPEC §7.4): the upload history and the beneficiaries
 * list, both rendered whole from the tables, never patched, so whoever writes last writes the
 * whole truth.
 */

/** Where the history's rows come from: settled uploads and automatic events. */
export type HistorySource = Pick<UploadRepo, 'recent' | 'history'>;

/** What flexben keeps besides the files: credits, and history events next to the uploads. */
export interface FlexbenStores {
  readonly credits: CreditRepo;
  readonly history: HistorySource & Pick<UploadRepo, 'putHistory'>;
}

const CSV = 'text/csv; charset=utf-8';

/** Rewrites `flexben/download/upload_history.csv`: the newest 40 rows, newest first. */
export async function writeUploadHistory(deps: { store: ObjectStore; uploads: HistorySource }, partner: Partner): Promise<void> {
  const key = `${partnerPrefix(partner.partnerId)}${systemPath(partner.entityType, 'flexben/download/upload_history.csv')}`;
  await writeRenderedSystemFile(deps.store, partner, { key, contentType: CSV, personal: false }, async () => {
    // In-flight uploads have no row yet; read enough to fill the file with settled ones.
    const recent = await deps.uploads.recent(partner.partnerId, 'flexben', FLEXBEN_HISTORY_ROWS * 2);
    const events = await deps.uploads.history(partner.partnerId, FLEXBEN_HISTORY_ROWS);
    return renderFlexbenHistory(
      recent.filter((u) => isSettled(u.status)),
      events,
    );
  });
}

/** Rewrites `flexben/download/beneficiaries-list.csv` from the stored credits. */
export async function writeBeneficiariesList(
  deps: { store: ObjectStore; credits: CreditRepo },
  partner: Partner,
  credits?: ReadonlyMap<string, StoredCredit>,
): Promise<void> {
  const all = credits ?? (await deps.credits.all(partner.partnerId));
  const key = `${partnerPrefix(partner.partnerId)}${systemPath(partner.entityType, BENEFICIARIES_LIST)}`;
  await writeSystemFile(deps.store, partner, { key, body: beneficiariesListStream(all.values()), contentType: CSV, personal: true });
}
