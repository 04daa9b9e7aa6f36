import type { Identifiers } from '../eligibility/model.ts';
import { withoutPunctuation } from '../eligibility/profiles/wellhub.ts';

/**
 * Finds the stored employee an event names (SPEC §9.1 → §6.2): by Employee ID, else National ID,
 * else Email, normalised as the eligibility base stores them. An active employee wins over a
 * removed one with the same identifier (a person may have left and come back under a new key).
 */

export interface ResolvableEmployee {
  readonly employeeKey: string;
  readonly active: boolean;
  readonly identifiers: Identifiers;
  readonly values: Readonly<Record<string, string>>;
}

export interface ResolvedEmployee {
  readonly employeeKey: string;
  readonly employeeId: string;
  readonly email: string;
  readonly name: string;
}

export interface EmployeeRef {
  readonly employeeId?: string;
  readonly nationalId?: string;
  readonly email?: string;
}

export class EmployeeResolver {
  private readonly byId = new Map<string, ResolvedEmployee>();
  private readonly byNationalId = new Map<string, ResolvedEmployee>();
  private readonly byEmail = new Map<string, ResolvedEmployee>();

  static async from(employees: AsyncIterable<ResolvableEmployee>): Promise<EmployeeResolver> {
    const resolver = new EmployeeResolver();
    const removed: ResolvableEmployee[] = [];
    for await (const e of employees) {
      if (e.active) resolver.add(e);
      else removed.push(e);
    }
    for (const e of removed) resolver.add(e, false);
    return resolver;
  }

  private add(e: ResolvableEmployee, overwrite = true): void {
    const resolved: ResolvedEmployee = {
      employeeKey: e.employeeKey,
      employeeId: e.values.employeeId ?? '',
      email: e.values.email ?? '',
      name: e.values.name ?? '',
    };
    const set = (map: Map<string, ResolvedEmployee>, key: string | undefined): void => {
      if (key && (overwrite || !map.has(key))) map.set(key, resolved);
    };
    set(this.byId, e.identifiers.employeeId);
    set(this.byNationalId, e.identifiers.nationalId);
    set(this.byEmail, e.identifiers.email);
  }

  resolve(ref: EmployeeRef): ResolvedEmployee | undefined {
    if (ref.employeeId) {
      const found = this.byId.get(withoutPunctuation(ref.employeeId.trim()));
      if (found) return found;
    }
    if (ref.nationalId) {
      const found = this.byNationalId.get(withoutPunctuation(ref.nationalId.trim()));
      if (found) return found;
    }
    return ref.email ? this.byEmail.get(ref.email.trim().toLowerCase()) : undefined;
  }
}
