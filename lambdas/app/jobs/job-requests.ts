import { cycleOf, parseCycle, type Cycle } from '../../core/payroll/cycle.ts';
import { reportPeriod, type ReportPeriod } from '../../core/reports/report-period.ts';

/**
 * What a job invocation may carry: nothing from a schedule (`{ "scheduled": true }`), or the
 * CLI's `--cycle`, `--end` and `--partner`. Shared by the Lambda handlers and local mode.
 */
export interface JobRequest {
  readonly scheduled?: boolean;
  /** `YYYY-MM`; default the current month. */
  readonly cycle?: string;
  /** `YYYY-MM-DD`; default today (UTC). */
  readonly end?: string;
  readonly partner?: string;
  /** ISO instant the approval expiry sweep judges by; default now (`job expire-approvals --now`). */
  readonly now?: string;
}

/**
 * A request handed to several invocations (one per partner) with its dates fixed now, so a run
 * that straddles midnight at a month's end still writes one cycle and one report period.
 */
export function pinnedRequest(request: JobRequest, now: Date): JobRequest {
  return { ...request, cycle: request.cycle ?? now.toISOString().slice(0, 7), end: request.end ?? now.toISOString().slice(0, 10) };
}

export function payrollRequest(request: JobRequest, now: Date): { cycle: Cycle; now: Date; partnerId?: string } {
  return {
    cycle: request.cycle ? parseCycle(request.cycle) : cycleOf(now),
    now,
    ...(request.partner ? { partnerId: request.partner } : {}),
  };
}

export function reportsRequest(request: JobRequest, now: Date): { period: ReportPeriod; partnerId?: string } {
  return {
    period: reportPeriod(request.end ?? now.toISOString().slice(0, 10)),
    ...(request.partner ? { partnerId: request.partner } : {}),
  };
}
