import { afterEach, describe, expect, it, vi } from 'vitest';
import { ENVIRONMENT_NAMES, loadEnvironmentConfig } from '../../lib/config/environments.ts';

describe('loadEnvironmentConfig', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('throws a clear error naming the known environments for an unknown name', () => {
    // Act
    const load = () => loadEnvironmentConfig('production');
    // Assess
    expect(load).toThrow(/Unknown environment "production": expected one of dev, staging, prod/);
  });

  it.each(ENVIRONMENT_NAMES)('returns a complete config for %s', (name) => {
    // Act
    const config = loadEnvironmentConfig(name);
    // Assess
    expect(config.name).toBe(name);
    expect(config.senderEmail).toMatch(/^[^@\s]+@[^@\s]+\.[a-z]+$/);
    expect(config.alarmEmail).toMatch(/^[^@\s]+@[^@\s]+\.[a-z]+$/);
    expect(config.transferSecurityPolicy).toMatch(/^TransferSecurityPolicy-\d{4}-\d{2}$/);
    expect(config.archiveRetentionDays).toBeGreaterThan(0);
  });

  it('gives every environment the 15-minute grace for transfer results of SPEC §15', () => {
    for (const name of ['dev', 'staging', 'prod']) expect(loadEnvironmentConfig(name).transferGraceSeconds).toBe(900);
  });

  it('destroys dev resources on stack deletion and retains prod ones', () => {
    // Act / Assess
    expect(loadEnvironmentConfig('dev').removalPolicy).toBe('destroy');
    expect(loadEnvironmentConfig('staging').removalPolicy).toBe('retain');
    expect(loadEnvironmentConfig('prod').removalPolicy).toBe('retain');
  });

  it('schedules payroll on the 25th at 03:00 UTC, reports on the 1st at 04:00 UTC, lists nightly', () => {
    // Act
    const { schedules } = loadEnvironmentConfig('prod');
    // Assess
    expect(schedules.payroll).toEqual({ dayOfMonth: 25, hourUtc: 3, minuteUtc: 0 });
    expect(schedules.reports).toEqual({ dayOfMonth: 1, hourUtc: 4, minuteUtc: 0 });
    expect(schedules.eligibleLists.hourUtc).toBeLessThan(6);
  });

  it('defaults the region to us-east-1 and lets CDK_DEFAULT_REGION override it', () => {
    // Prepare
    vi.stubEnv('CDK_DEFAULT_REGION', '');
    delete process.env.CDK_DEFAULT_REGION;
    const byDefault = loadEnvironmentConfig('dev').region;
    vi.stubEnv('CDK_DEFAULT_REGION', 'sa-east-1');
    // Act
    const overridden = loadEnvironmentConfig('dev').region;
    // Assess
    expect(byDefault).toBe('us-east-1');
    expect(overridden).toBe('sa-east-1');
  });

  it('is account-agnostic unless BX_<ENV>_ACCOUNT pins an account, which must be 12 digits', () => {
    // Prepare
    vi.stubEnv('BX_PROD_ACCOUNT', '123456789012');
    vi.stubEnv('BX_STAGING_ACCOUNT', 'not-an-account');
    // Act / Assess
    expect(loadEnvironmentConfig('dev').account).toBeUndefined();
    expect(loadEnvironmentConfig('prod').account).toBe('123456789012');
    expect(() => loadEnvironmentConfig('staging')).toThrow(/account must be 12 digits/);
  });
});
