import { Readable } from 'node:stream';
import { partnerSchema } from '../lambdas/domain/partner.ts';
import { BaseIndex } from '../lambdas/eligibility/diff/base-index.ts';
import { runEligibilityEngine } from '../lambdas/eligibility/engine.ts';
import { wellhubProfile } from '../lambdas/eligibility/profiles/wellhub.ts';
import { readEmployeeFile } from '../lambdas/eligibility/read/index.ts';
import { COMPANIES, baseLines, toChunks, uploadLines } from './census-generator.ts';
const partner = partnerSchema.parse({ partnerId: 'bench-group', entityType: 'multi-entity', companies: COMPANIES.map((taxId, i) => ({ taxId, name: `E${i}` })), adminEmails: ['a@b.com'], sshPublicKeys: ['x'], createdAt: 'x' });
const N = Number(process.argv[2] ?? 300000);
const index = new BaseIndex(N);
for await (const e of readEmployeeFile(Readable.from(toChunks(baseLines(N))), { profile: wellhubProfile, partner, maxRows: 3e6 })) if (e.kind === 'row' && e.outcome.kind === 'valid') { const r = e.outcome.row; index.add({ employeeKey: `01J${r.line.toString(32).padStart(23, '0')}`, companyTaxId: r.companyTaxId, active: true, fingerprint: r.fingerprint, identifiers: r.identifiers }); }
const buf = Buffer.concat([...toChunks(uploadLines(N))]);
const chunked = () => Readable.from((function* () { for (let o = 0; o < buf.length; o += 65536) yield buf.subarray(o, o + 65536); })());
for (let k = 0; k < 3; k++) {
  const t = performance.now();
  const plan = await runEligibilityEngine({ input: chunked(), profile: wellhubProfile, partner, mode: 'replace', base: index, maxRows: 3e6 });
  console.log('engine', plan.verdict, plan.changes.length, (performance.now() - t).toFixed(0), 'ms');
}
const readerOnly = async () => { let n = 0; for await (const e of readEmployeeFile(chunked(), { profile: wellhubProfile, partner, maxRows: 3e6 })) if (e.kind === 'row') n++; return n; };
let br = Infinity, be = Infinity;
for (let k = 0; k < 6; k++) {
  let t = performance.now(); await readerOnly(); br = Math.min(br, performance.now() - t);
  t = performance.now(); await runEligibilityEngine({ input: chunked(), profile: wellhubProfile, partner, mode: 'replace', base: index, maxRows: 3e6 }); be = Math.min(be, performance.now() - t);
}
console.log('reader', br.toFixed(0), 'engine', be.toFixed(0), 'diff us/row', ((be - br) * 1000 / N).toFixed(2));
