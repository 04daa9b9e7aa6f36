/**
 * One typed configuration per deployment environment, selected with `cdk synth -c env=<name>`.
 *
 * Deliberately free of aws-cdk-lib imports: the CLI and local mode may read these values without
 * loading the CDK. The stack translates them into CDK types (removal policy, log retention).
 */

export const ENVIRONMENT_NAMES = ['dev', 'staging', 'prod'] as const;

/** SPEC §15: how long an arrival waits for its transfer result, unless an environment says otherwise. */
export const DEFAULT_TRANSFER_GRACE_SECONDS = 15 * 60;

export type EnvironmentName = (typeof ENVIRONMENT_NAMES)[number];

/** Retention periods CloudWatch Logs accepts (a subset; the values are days). */
export type LogRetentionDays = 1 | 3 | 5 | 7 | 14 | 30 | 60 | 90 | 120 | 150 | 180 | 365 | 731 | 1827 | 3653;

/** A monthly job: runs on `dayOfMonth` at `hourUtc:minuteUtc`. */
export interface MonthlySchedule {
  /** Day of the month, 1–28 so that every month has it. */
  readonly dayOfMonth: number;
  /** Hour of the day, UTC, 0–23. */
  readonly hourUtc: number;
  /** Minute of the hour, 0–59. */
  readonly minuteUtc: number;
}

/** A daily job: runs every day at `hourUtc:minuteUtc`. */
export interface DailySchedule {
  /** Hour of the day, UTC, 0–23. */
  readonly hourUtc: number;
  /** Minute of the hour, 0–59. */
  readonly minuteUtc: number;
}

/** Schedules of the jobs that write files into the partner trees (SPEC §6.8, §8, §9). */
export interface ScheduleConfig {
  /**
   * Payroll deduction files for the current cycle.
   * @default - the 25th at 03:00 UTC
   */
  readonly payroll: MonthlySchedule;
  /**
   * Usage reports for the 12 months ending on the run date.
   * @default - the 1st at 04:00 UTC
   */
  readonly reports: MonthlySchedule;
  /**
   * Nightly rewrite of every partner's eligible list.
   * @default - 02:00 UTC
   */
  readonly eligibleLists: DailySchedule;
  /**
   * Daily sweep that ends approvals pending for 14 days as `Deleted` (SPEC §10).
   * @default - 01:30 UTC
   */
  readonly expireApprovals: DailySchedule;
}

/**
 * How partners reach the SFTP server: Transfer Family's `PUBLIC` endpoint (any source address),
 * or `VPC`, an internet-facing endpoint in a VPC of its own with one Elastic IP per availability
 * zone and a security group that admits SSH only from the allowed CIDRs.
 */
export type SftpEndpointType = 'PUBLIC' | 'VPC';

export interface EnvironmentConfig {
  /** The environment's name; also the suffix of the stack name `BenefitsExchange-<name>`. */
  readonly name: EnvironmentName;
  /**
   * AWS account to deploy to. Undefined synthesises an account-agnostic stack, deployable to
   * whichever account the operator's credentials point at.
   * @default - from `BX_<NAME>_ACCOUNT` (e.g. `BX_PROD_ACCOUNT`), else account-agnostic
   */
  readonly account?: string;
  /**
   * AWS region to deploy to.
   * @default - `CDK_DEFAULT_REGION`, else 'us-east-1'
   */
  readonly region: string;
  /** The `From:` address of the emails to partner admins; verified as an SES identity. */
  readonly senderEmail: string;
  /** Subscribed (by email) to the operator alarm topic. */
  readonly alarmEmail: string;
  /**
   * Days a received upload is kept under `archive/uploads/` before the lifecycle rule expires it.
   * @default 400 (a year plus a month, so last year's files are at hand when a partner asks)
   */
  readonly archiveRetentionDays: number;
  /**
   * Days a replaced or deleted object version is kept (status files are rewritten often).
   * @default 30
   */
  readonly noncurrentVersionRetentionDays: number;
  /**
   * Days S3 server access logs are kept.
   * @default 365
   */
  readonly accessLogRetentionDays: number;
  /** When the scheduled jobs run: one EventBridge rule per `JOBS` entry (lib/schedules.ts). */
  readonly schedules: ScheduleConfig;
  /**
   * What happens to stateful resources (bucket, tables, key, log groups) when the stack is deleted.
   * @default - 'destroy' in dev, 'retain' elsewhere
   */
  readonly removalPolicy: 'destroy' | 'retain';
  /**
   * Transfer Family security policy (SSH ciphers, KEX, MACs) of the SFTP server.
   * @default 'TransferSecurityPolicy-2024-01'
   */
  readonly transferSecurityPolicy: string;
  /**
   * Retention of the Lambda and Transfer Family log groups.
   * @default - 30 days in dev, 365 elsewhere
   */
  readonly logRetentionDays: LogRetentionDays;
  /**
   * Log level of the Lambda handlers (Powertools `POWERTOOLS_LOG_LEVEL`).
   * @default 'INFO'
   */
  readonly logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /**
   * Seconds an uploaded file waits for its transfer result before it is `Rejected` /
   * `Interrupted` as unconfirmed (SPEC §15).
   * @default 900 (15 minutes)
   */
  readonly transferGraceSeconds: number;
  /**
   * The SFTP endpoint (see {@link SftpEndpointType}).
   * @default - 'VPC' in prod, 'PUBLIC' elsewhere
   */
  readonly sftpEndpointType: SftpEndpointType;
  /**
   * IPv4 CIDRs a `VPC` endpoint admits on port 22: the partners' egress addresses. A `VPC` endpoint
   * with none fails synthesis (it would admit nobody); `0.0.0.0/0` is refused (say `PUBLIC`
   * instead). Also read from `BX_<NAME>_SFTP_ALLOWED_CIDRS`, comma-separated, which replaces the list.
   * @default - none
   */
  readonly sftpAllowedCidrs: readonly string[];
  /**
   * Name or ARN of a Secrets Manager secret whose plain-text value is the server's SSH host
   * private key (OpenSSH or PEM; RSA, ECDSA or ED25519). It becomes the server's only host key, so
   * a replaced server presents the same one and partners' `known_hosts` stay valid. Without it,
   * Transfer Family generates a key, and a replaced server presents a new one.
   * @default - 'benefits-exchange/<name>/sftp-host-key' in staging and prod, none in dev
   */
  readonly sftpHostKeySecret?: string;
  /**
   * An AWS WAF web ACL (AWS managed rule groups, a rate limit per address) in front of the portal
   * and its API (SPEC §18). CloudFront's web ACLs exist only in us-east-1, so it needs that region.
   * @default - true in prod, false elsewhere
   */
  readonly portalWaf: boolean;
}

const DEFAULT_SCHEDULES: ScheduleConfig = {
  payroll: { dayOfMonth: 25, hourUtc: 3, minuteUtc: 0 },
  reports: { dayOfMonth: 1, hourUtc: 4, minuteUtc: 0 },
  eligibleLists: { hourUtc: 2, minuteUtc: 0 },
  expireApprovals: { hourUtc: 1, minuteUtc: 30 },
};

// Values shared by every environment; each entry below overrides only what differs.
function baseConfig(name: EnvironmentName): Omit<EnvironmentConfig, 'senderEmail' | 'alarmEmail'> {
  const account = process.env[`BX_${name.toUpperCase()}_ACCOUNT`];
  return {
    name,
    ...(account ? { account } : {}),
    region: process.env.CDK_DEFAULT_REGION ?? 'us-east-1',
    archiveRetentionDays: 400,
    noncurrentVersionRetentionDays: 30,
    accessLogRetentionDays: 365,
    schedules: DEFAULT_SCHEDULES,
    removalPolicy: 'retain',
    transferSecurityPolicy: 'TransferSecurityPolicy-2024-01',
    logRetentionDays: 365,
    logLevel: 'INFO',
    transferGraceSeconds: DEFAULT_TRANSFER_GRACE_SECONDS,
    sftpEndpointType: 'PUBLIC',
    sftpAllowedCidrs: [],
    sftpHostKeySecret: `benefits-exchange/${name}/sftp-host-key`,
    portalWaf: false,
  };
}

// The example.com addresses are placeholders: replace them with the provider's real mailboxes
// (the sender's domain must be verifiable in SES) before the first deployment.
const FACTORIES: Record<EnvironmentName, () => EnvironmentConfig> = {
  dev: () => ({
    ...baseConfig('dev'),
    senderEmail: 'no-reply@dev.benefits-exchange.example.com',
    alarmEmail: 'platform-alerts+dev@benefits-exchange.example.com',
    archiveRetentionDays: 30,
    noncurrentVersionRetentionDays: 7,
    accessLogRetentionDays: 30,
    removalPolicy: 'destroy',
    logRetentionDays: 30,
    logLevel: 'DEBUG',
    // Dev is torn down and rebuilt freely; nobody keeps its host key in known_hosts.
    sftpHostKeySecret: undefined,
  }),
  staging: () => ({
    ...baseConfig('staging'),
    senderEmail: 'no-reply@staging.benefits-exchange.example.com',
    alarmEmail: 'platform-alerts+staging@benefits-exchange.example.com',
    archiveRetentionDays: 90,
    logRetentionDays: 90,
  }),
  prod: () => ({
    ...baseConfig('prod'),
    senderEmail: 'no-reply@benefits-exchange.example.com',
    alarmEmail: 'platform-alerts@benefits-exchange.example.com',
    // Partners' source addresses go here (or in BX_PROD_SFTP_ALLOWED_CIDRS) before the first deploy.
    sftpEndpointType: 'VPC',
    sftpAllowedCidrs: [],
    portalWaf: true,
  }),
};

/** The allow-list from `BX_<NAME>_SFTP_ALLOWED_CIDRS` when set, else the config's own. */
function withAllowedCidrsFromEnv(config: EnvironmentConfig): EnvironmentConfig {
  const fromEnv = process.env[`BX_${config.name.toUpperCase()}_SFTP_ALLOWED_CIDRS`];
  if (fromEnv === undefined || fromEnv.trim() === '') return config;
  return {
    ...config,
    sftpAllowedCidrs: fromEnv
      .split(',')
      .map((cidr) => cidr.trim())
      .filter(Boolean),
  };
}

function assertIpv4Cidr(cidr: string): void {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  const octets = match?.slice(1, 5).map(Number) ?? [];
  const prefix = Number(match?.[5]);
  if (!match || octets.some((o) => o > 255) || prefix > 32) {
    throw new Error(`Invalid environment config: sftpAllowedCidrs entry "${cidr}" is not an IPv4 CIDR such as 203.0.113.0/24`);
  }
  if (prefix === 0) {
    throw new Error(
      `Invalid environment config: sftpAllowedCidrs entry "${cidr}" admits every address; use sftpEndpointType 'PUBLIC' to say so`,
    );
  }
}

function isEnvironmentName(name: string): name is EnvironmentName {
  return (ENVIRONMENT_NAMES as readonly string[]).includes(name);
}

function assertInRange(label: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`Invalid environment config: ${label} must be an integer in ${min}..${max}, got ${value}`);
  }
}

function validate(config: EnvironmentConfig): EnvironmentConfig {
  const { payroll, reports, eligibleLists, expireApprovals } = config.schedules;
  for (const [label, schedule] of [
    ['payroll', payroll],
    ['reports', reports],
  ] as const) {
    assertInRange(`schedules.${label}.dayOfMonth`, schedule.dayOfMonth, 1, 28);
    assertInRange(`schedules.${label}.hourUtc`, schedule.hourUtc, 0, 23);
    assertInRange(`schedules.${label}.minuteUtc`, schedule.minuteUtc, 0, 59);
  }
  for (const [label, schedule] of [
    ['eligibleLists', eligibleLists],
    ['expireApprovals', expireApprovals],
  ] as const) {
    assertInRange(`schedules.${label}.hourUtc`, schedule.hourUtc, 0, 23);
    assertInRange(`schedules.${label}.minuteUtc`, schedule.minuteUtc, 0, 59);
  }
  assertInRange('archiveRetentionDays', config.archiveRetentionDays, 1, 3650);
  assertInRange('noncurrentVersionRetentionDays', config.noncurrentVersionRetentionDays, 1, 3650);
  assertInRange('accessLogRetentionDays', config.accessLogRetentionDays, 1, 3650);
  assertInRange('transferGraceSeconds', config.transferGraceSeconds, 60, 24 * 3600);
  for (const cidr of config.sftpAllowedCidrs) assertIpv4Cidr(cidr);
  if (config.sftpEndpointType === 'PUBLIC' && config.sftpAllowedCidrs.length > 0) {
    // Whoever fills the list means to restrict the endpoint; a PUBLIC one would silently not.
    throw new Error(
      `Invalid environment config (${config.name}): sftpAllowedCidrs is set but sftpEndpointType is 'PUBLIC', ` +
        `which admits every address: set sftpEndpointType to 'VPC'`,
    );
  }
  if (config.portalWaf && config.region !== 'us-east-1') {
    throw new Error(
      `Invalid environment config (${config.name}): portalWaf needs region us-east-1, where CloudFront's web ACLs live ` +
        `(region is ${config.region}): deploy there, or set portalWaf to false`,
    );
  }
  if (config.account !== undefined && !/^\d{12}$/.test(config.account)) {
    throw new Error(`Invalid environment config: account must be 12 digits, got "${config.account}"`);
  }
  return config;
}

/**
 * The configuration of the named environment.
 *
 * @param name `dev`, `staging` or `prod` (the value of `-c env=<name>`)
 * @throws Error naming the known environments when `name` is not one of them, or when a value
 *   (e.g. an account from `BX_<NAME>_ACCOUNT`) is out of range
 */
export function loadEnvironmentConfig(name: string): EnvironmentConfig {
  if (!isEnvironmentName(name)) {
    throw new Error(`Unknown environment "${name}": expected one of ${ENVIRONMENT_NAMES.join(', ')} (-c env=<name>)`);
  }
  return validate(withAllowedCidrsFromEnv(FACTORIES[name]()));
}
