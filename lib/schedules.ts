import type { CronOptions } from 'aws-cdk-lib/aws-events';
import type { DailySchedule, MonthlySchedule, ScheduleConfig } from './config/environments.ts';

/**
 * Turns an environment's schedule settings into EventBridge cron fields (UTC). A schedule with a
 * `dayOfMonth` runs monthly on that day, one without runs daily, so a new job needs only its
 * entry in `JOBS` and its setting in `ScheduleConfig`.
 */
export function cronOf(schedule: MonthlySchedule | DailySchedule): CronOptions {
  return {
    minute: String(schedule.minuteUtc),
    hour: String(schedule.hourUtc),
    ...('dayOfMonth' in schedule ? { day: String(schedule.dayOfMonth) } : {}),
  };
}

/** The cron fields of the job that runs on `schedules[key]`. */
export function jobCron(schedules: ScheduleConfig, key: keyof ScheduleConfig): CronOptions {
  return cronOf(schedules[key]);
}
