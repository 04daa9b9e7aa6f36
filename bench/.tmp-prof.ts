import { Readable } from 'node:stream';
import { partnerSchema } from '../lambdas/domain/partner.ts';
import { BaseIndex } from '../lambdas/eligibility/diff/base-index.ts';
import { ChangePlanner } from '../lambdas/eligibility/diff/change-planner.ts';
import { wellhubProfile } from '../lambdas/eligibility/profiles/wellhub.ts';
import { readEmployeeFile } from '../lambdas/eligibility/read/index.ts';
import type { RowOutcome } from '../lambdas/eligibility/model.ts';
import { COMPANIES, baseLines, toChunks, uploadLines } from './census-generator.ts';
const partner = partnerSchema.parse({ partnerId: 'bench-group', entityType: 'multi-entity', companies: COMPANIES.map((taxId, i) => ({ taxId, name: `E${i}` })), adminEmails: ['a@b.com'], sshPublicKeys: ['x'], createdAt: 'x' });
const N = Number(process.argv[2] ?? 300000);
const read = async (lines: Iterable<string>) => { const out: RowOutcome[] = []; for await (const e of readEmployeeFile(Readable.from(toChunks(lines)), { profile: wellhubProfile, partner, maxRows: 3e6 })) if (e.kind === 'row') out.push(e.outcome); return out; };
const baseRows = await read(baseLines(N));
const t0 = performance.now();
const index = new BaseIndex(N);
baseRows.forEach((o, i) => { if (o.kind === 'valid') index.add({ employeeKey: `01J${i.toString(32).padStart(23, '0')}`, companyTaxId: o.row.companyTaxId, active: true, fingerprint: o.row.fingerprint, identifiers: o.row.identifiers }); });
console.log('index build', (performance.now() - t0).toFixed(0), 'ms');
const up = await read(uploadLines(N));
for (let k = 0; k < 3; k++) {
  const t = performance.now();
  const p = new ChangePlanner({ base: index, mode: 'replace', acceptance: 'all-or-nothing' });
  for (const o of up) p.accept(o);
  const plan = p.finish();
  console.log('plan', plan.verdict, plan.changes.length, (performance.now() - t).toFixed(0), 'ms', ((performance.now() - t) * 1000 / N).toFixed(2), 'us/row');
}
