import { Readable } from 'node:stream';
import { partnerSchema } from '../lambdas/core/partners/partner.ts';
import { readEmployeeFile } from '../lambdas/core/eligibility/read/index.ts';
import { CreditPlanner } from '../lambdas/core/flexben/credit-plan.ts';
import { IdentityMatcher } from '../lambdas/core/flexben/identity-matcher.ts';
import type { CreditedEmployee } from '../lambdas/core/flexben/model.ts';
import { addOrUpdateProfile } from '../lambdas/core/flexben/profiles.ts';

/**
 * `npm run bench:flexben [rows]`: a credit file naming every employee of a company of the same
 * size, planned the way the processor plans it (employees streamed into the matcher, rows planned
 * as read). Run under the heap the Lambda gives (`--max-old-space-size`, see package.json) so an
 * out-of-memory shows here first. Prints time and peak RSS; the last line is JSON.
 */

const rows = Number(process.argv[2] ?? 1_000_000);
const TAX_ID = '37211173000169';
const partner = partnerSchema.parse({
  partnerId: 'bench-partner',
  entityType: 'channel-partner',
  companies: [{ taxId: TAX_ID, name: 'Empresa' }],
  adminEmails: ['rh@empresa.com.br'],
  sshPublicKeys: ['ssh-ed25519 AAAA bench'],
  createdAt: '2026-01-01T00:00:00Z',
});
const MiB = 1024 * 1024;
const started = performance.now();
const seconds = (): number => Number(((performance.now() - started) / 1000).toFixed(1));

// What the employees table yields: the stored item, of which the matcher keeps the identifiers.
const employees = new IdentityMatcher<CreditedEmployee>();
for (let i = 0; i < rows; i++) {
  const email = `person${i}@empresa.com.br`;
  const nationalId = String(10_000_000_000 + i);
  const employeeId = `E${i}`;
  employees.add({
    companyTaxId: TAX_ID,
    employeeKey: `01J${i.toString(32).padStart(23, '0')}`,
    identifiers: { employeeId, nationalId, email },
    listed: { email, nationalId, employeeId },
  });
}
const employeesLoaded = { seconds: seconds(), rssMiB: Math.round(process.memoryUsage.rss() / MiB) };

function* creditFile(): Generator<string> {
  yield 'Company Tax ID,Email,National ID,Employee ID,Amount,Last Credited Month,Last Credited Year\n';
  for (let i = 0; i < rows; i++) yield `${TAX_ID},,,E${i},100.50,12,2099\n`;
}
const planner = new CreditPlanner({ kind: 'add-or-update', employees, credits: new Map(), uploadId: 'bench' });
const profile = addOrUpdateProfile(new Date());
for await (const event of readEmployeeFile(Readable.from(creditFile()), { profile, partner, maxRows: 2_000_000 })) {
  if (event.kind === 'file-error') throw new Error(event.error.description);
  if (event.kind === 'row') planner.add(event.outcome);
}
const plan = planner.finish();
if (plan.grants.length !== rows)
  throw new Error(`planned ${plan.grants.length} grants for ${rows} rows: ${JSON.stringify(plan.errors.slice(0, 2))}`);
const result = {
  rows,
  employeesLoadedSeconds: employeesLoaded.seconds,
  planSeconds: Number((seconds() - employeesLoaded.seconds).toFixed(1)),
  rssAfterEmployeesMiB: employeesLoaded.rssMiB,
  peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
};
console.log(
  `${rows.toLocaleString('en-US')} credit rows against ${rows.toLocaleString('en-US')} employees: matcher built in ${result.employeesLoadedSeconds} s (RSS ${result.rssAfterEmployeesMiB} MiB), file read and planned in ${result.planSeconds} s, peak RSS ${result.peakRssMiB} MiB`,
);
console.log(JSON.stringify(result));
