import type { Company, Partner } from '../../core/partners/partner.ts';
import { partnerPrefix, systemPath } from '../../core/partners/tree.ts';
import { safeFileNamePart } from '../../core/files/safe-file-name.ts';

/** What the payroll and reports jobs share: which partners a run covers and where files go. */

export class UnknownPartnerError extends Error {}

/** Every partner, or the one asked for (an unknown id is an error, not a silent no-op). */
export async function partnersOfRun(partners: { list(): Promise<Partner[]> }, partnerId?: string): Promise<Partner[]> {
  const all = await partners.list();
  if (!partnerId) return all;
  const one = all.filter((p) => p.partnerId === partnerId);
  if (one.length === 0) throw new UnknownPartnerError(`no partner "${partnerId}"`);
  return one;
}

/** Bucket key of a folder the system writes in the partner's tree, ending in `/`. */
export function systemFolder(partner: Partner, relative: string): string {
  return `${partnerPrefix(partner.partnerId)}${systemPath(partner.entityType, relative)}/`;
}

/**
 * The partner's companies with file-safe display names, in tax-ID order. Two companies with
 * the same name get their tax ID appended, so a zip never holds two entries with one name.
 */
export function namedCompanies(partner: Partner): { company: Company; fileName: string }[] {
  const companies = [...partner.companies].sort((a, b) => a.taxId.localeCompare(b.taxId));
  const names = companies.map((c) => safeFileNamePart(c.name, c.taxId));
  return companies.map((company, i) => {
    const name = names[i] as string;
    const clash = names.filter((n) => n === name).length > 1;
    return { company, fileName: clash ? `${name} ${company.taxId}` : name };
  });
}
