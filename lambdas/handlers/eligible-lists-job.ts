import { jobDepsFromEnv } from '../adapters/job-runtime.ts';
import { refreshEligibleLists } from '../jobs/eligible-lists.ts';

/** The nightly eligible-list job (SPEC §6.8), also invoked by `job eligible-lists`. */
export async function handler(): Promise<{ written: number; skipped: string[] }> {
  const deps = jobDepsFromEnv();
  return refreshEligibleLists(deps, deps.clock());
}
