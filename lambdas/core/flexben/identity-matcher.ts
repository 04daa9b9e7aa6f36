import { IDENTITY_KEYS, type Identifiers } from '../eligibility/model.ts';

/**
 * Finds a stored person of a company from a row's identifiers as SPEC §6.2 says: by Employee ID,
 * else National ID, else Email, all already normalised by the profile. Used over the active
 * employees of the companies a credit file names, and over stored credits.
 */
export class IdentityMatcher<T extends { readonly companyTaxId: string; readonly identifiers: Identifiers }> {
  private readonly companies = new Map<string, Map<string, T>[]>();

  constructor(items: Iterable<T> = []) {
    for (const item of items) this.add(item);
  }

  /** Adds an item; when two share an identifier, the first one added keeps it. */
  add(item: T): void {
    let maps = this.companies.get(item.companyTaxId);
    if (!maps) this.companies.set(item.companyTaxId, (maps = IDENTITY_KEYS.map(() => new Map<string, T>())));
    IDENTITY_KEYS.forEach((key, k) => {
      const value = item.identifiers[key];
      if (value && !maps[k]!.has(value)) maps[k]!.set(value, item);
    });
  }

  find(companyTaxId: string, identifiers: Identifiers): T | undefined {
    const maps = this.companies.get(companyTaxId);
    if (!maps) return undefined;
    for (let k = 0; k < IDENTITY_KEYS.length; k++) {
      const value = identifiers[IDENTITY_KEYS[k]!];
      const found = value ? maps[k]!.get(value) : undefined;
      if (found) return found;
    }
    return undefined;
  }
}
