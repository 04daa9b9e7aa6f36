import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { CognitoIdentityProviderClient, CreateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import { SESClient, VerifyEmailIdentityCommand } from '@aws-sdk/client-ses';
import { CreateServerCommand, DescribeUserCommand, TransferClient } from '@aws-sdk/client-transfer';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createAwsClients } from '../../lambdas/adapters/aws-clients.ts';
import { SesMailer } from '../../lambdas/adapters/mailer.ts';
import { ObjectStore } from '../../lambdas/adapters/object-store.ts';
import { RecordingMailer } from '../../lambdas/adapters/recording-mailer.ts';
import { PartnerRepo } from '../../lambdas/adapters/partner-repo.ts';
import { localResourceNames, STACK_OUTPUTS, TABLE_NAMES, TABLES, tableOutputKey } from '../../lib/resources.ts';
import { runCli } from '../../cli/main.ts';
import { transferSessionPolicy } from '../../lib/transfer-session-policy.ts';
import { generateEd25519KeyPair } from '../../local/sftp/host-key.ts';

/**
 * The CLI against moto: local mode on an isolated prefix, a "deployed stack" whose outputs moto's
 * CloudFormation serves (with moto's Transfer Family), and the real bin in a child process.
 */

const endpoint = inject('awsEndpoint');
const prefix = `clitest-${Math.random().toString(36).slice(2, 8)}`;
const names = localResourceNames(prefix);
const region = 'us-east-1';
const aws = { endpoint, region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
const repoRoot = new URL('../..', import.meta.url).pathname;
const savedEnv = { ...process.env };

const keyDir = mkdtempSync(join(tmpdir(), 'bx-cli-'));
const keyFile = join(keyDir, 'ops.pub');
const secondKeyFile = join(keyDir, 'second.pub');
writeFileSync(keyFile, `${generateEd25519KeyPair('ops@laptop').public}\n`);
writeFileSync(secondKeyFile, generateEd25519KeyPair().public);

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } });
  return { code, stdout, stderr };
}

async function createExchange(bucket: string, partnersTable: string): Promise<void> {
  const s3 = new S3Client({ ...aws, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  await new DynamoDBClient(aws).send(
    new CreateTableCommand({
      TableName: partnersTable,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: TABLES.partners.partitionKey.name, AttributeType: TABLES.partners.partitionKey.type }],
      KeySchema: [{ AttributeName: TABLES.partners.partitionKey.name, KeyType: 'HASH' }],
    }),
  );
  // `partner show` reads the partner's change log, kept beside its uploads.
  await new DynamoDBClient(aws).send(
    new CreateTableCommand({
      TableName: partnersTable.replace(/partners$/, 'uploads'),
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    }),
  );
}

const clients = createAwsClients({ endpoint, region });
const store = (bucket: string) => new ObjectStore(clients.s3, bucket);
const repo = (table: string) => new PartnerRepo(clients.dynamo, table);

beforeAll(async () => {
  Object.assign(process.env, { AWS_ENDPOINT_URL: endpoint, BX_LOCAL_PREFIX: prefix, AWS_REGION: region });
  await createExchange(names.bucket, names.tables.partners);
});

afterAll(() => {
  process.env = savedEnv;
});

const acmeArgs = [
  'partner',
  'add',
  'acme',
  '--entity-type',
  'multi-entity',
  '--company',
  '37211173000169=Acme',
  '--admin-email',
  'hr@acme.example',
  '--ssh-key',
  keyFile,
];

describe('partner commands in local mode', () => {
  it('adds a partner: the item with normalised tax IDs and the folder markers of its tree', async () => {
    // Act
    const { code, stdout, stderr } = await cli(...acmeArgs, '--company', '1916628000102');

    // Assess
    // This exchange was made without local mode's user pool: the admins cannot be invited, and it says so.
    expect(stderr).toBe(
      `note: local mode has no portal user pool (${names.userPool}) yet: start it, then run partner update to invite admins\n`,
    );
    expect(code).toBe(0);
    expect(stdout).toContain('/multientity');
    const stored = await repo(names.tables.partners).get('acme');
    expect(stored?.companies.map((c) => c.taxId)).toEqual(['37211173000169', '01916628000102']);
    expect(stored?.sshPublicKeys[0]).toMatch(/^ssh-ed25519 \S+ ops@laptop$/);
    for (const key of [
      'partners/acme/multientity/',
      'partners/acme/multientity/employees/upload/all/',
      'partners/acme/multientity/flexben/upload/removal/',
    ]) {
      expect(await store(names.bucket).head(key), key).toMatchObject({ size: 0 });
    }
  });

  it('lists and shows partners, without SSH key bodies', async () => {
    const list = await cli('partner', 'list');
    expect(list.code).toBe(0);
    expect(list.stdout.trim().split('\n')).toEqual([expect.stringMatching(/^acme\s+multi-entity\s+wellhub\s+2 companies$/)]);

    const show = await cli('partner', 'show', 'acme');
    expect(show.code).toBe(0);
    const shown = JSON.parse(show.stdout);
    expect(shown).toMatchObject({ partnerId: 'acme', sftpRoot: '/multientity', adminEmails: ['hr@acme.example'] });
    expect(shown.sshPublicKeys).toEqual([{ type: 'ssh-ed25519', fingerprint: expect.stringMatching(/^SHA256:/), comment: 'ops@laptop' }]);
    expect(show.stdout).not.toContain('AAAA');
  });

  it('refuses to add the same id twice, and unknown ids, with one line and exit 1', async () => {
    const again = await cli(...acmeArgs);
    expect([again.code, again.stderr]).toEqual([1, 'error: partner acme already exists\n']);
    const unknown = await cli('partner', 'show', 'nobody');
    expect([unknown.code, unknown.stderr]).toEqual([1, 'error: unknown partner nobody\n']);
  });

  it('runs the real bin through tsx, and a bad argument there is one line and a non-zero exit', async () => {
    const run = promisify(execFile);
    const env = { ...process.env, AWS_ENDPOINT_URL: endpoint, BX_LOCAL_PREFIX: prefix };
    const list = await run('node', ['bin/benefits-exchange.mjs', 'partner', 'list'], { cwd: repoRoot, env });
    expect(list.stdout).toMatch(/^acme\s+multi-entity/);
    expect(list.stderr).toBe('');

    const bad = await run('node', ['bin/benefits-exchange.mjs', 'partner', 'add', 'acme', '--entity-type', 'bogus'], {
      cwd: repoRoot,
      env,
    }).then(
      () => expect.unreachable('a bad argument must fail'),
      (error: { code: number; stderr: string }) => error,
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: invalid --entity-type "bogus".*\n$/);
    expect(bad.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('removes a partner and keeps its files for audit', async () => {
    const removed = await cli('partner', 'remove', 'acme');
    expect(removed.code).toBe(0);
    expect(removed.stdout).toMatch(/kept for audit/);
    expect(await repo(names.tables.partners).get('acme')).toBeUndefined();
    expect(await store(names.bucket).head('partners/acme/multientity/employees/upload/all/')).toBeDefined();
    expect((await cli('partner', 'remove', 'acme')).code).toBe(1);
  });
});

describe('emails in local mode', () => {
  it("lists what local mode sent, and --partner keeps only mail to that partner's admins", async () => {
    // Prepare: a partner with an address no other test file uses, one email to it, one elsewhere.
    const admin = `hr@${prefix}.example`;
    const add = await cli(
      'partner',
      'add',
      'mailer',
      '--entity-type',
      'single-entity',
      '--company',
      '12069193000116',
      '--admin-email',
      admin,
      '--ssh-key',
      secondKeyFile,
    );
    expect(add.code).toBe(0);
    const ses = new SESClient(aws);
    await ses.send(new VerifyEmailIdentityCommand({ EmailAddress: 'noreply@bx.example' }));
    // The mailer local mode wires: SES, plus the copy `emails` reads.
    const mailer = new RecordingMailer(new SesMailer(ses, 'noreply@bx.example'), store(names.bucket), 'noreply@bx.example');
    const send = (to: string, subject: string) => mailer.send({ to: [to], subject, text: `Hello ${to}` });
    await send(admin, `${prefix} rejected`);
    await send(`other@${prefix}.example`, `${prefix} other`);

    // Act
    const all = await cli('emails', '--json');
    const mine = await cli('emails', '--partner', 'mailer', '--json');
    const text = await cli('emails', '--partner', 'mailer');

    // Assess
    expect([all.code, mine.code, text.code]).toEqual([0, 0, 0]);
    const subjects = (out: string) => (JSON.parse(out) as { subject: string }[]).map((e) => e.subject);
    expect(subjects(all.stdout)).toEqual(expect.arrayContaining([`${prefix} rejected`, `${prefix} other`]));
    expect(subjects(mine.stdout)).toEqual([`${prefix} rejected`]);
    expect(JSON.parse(mine.stdout)[0]).toMatchObject({ from: 'noreply@bx.example', to: [admin], body: `Hello ${admin}` });
    expect(text.stdout).toContain(`Subject: ${prefix} rejected\n\nHello ${admin}\n`);
  });
});

describe('partner commands on a deployed stack', () => {
  const stackNames = localResourceNames(`${prefix}-stk`);

  async function createStack(stackName: string, serverId: string): Promise<void> {
    // The stack's web channel (SPEC §18): partner add invites its admins to this pool.
    const sender = `no-reply@${stackName}.example`;
    await new SESClient(aws).send(new VerifyEmailIdentityCommand({ EmailAddress: sender }));
    const { UserPool } = await new CognitoIdentityProviderClient(aws).send(new CreateUserPoolCommand({ PoolName: `${stackName}-portal` }));
    const outputs = {
      [STACK_OUTPUTS.userPoolId]: UserPool?.Id as string,
      [STACK_OUTPUTS.portalUrl]: `https://${stackName}.cloudfront.example`,
      [STACK_OUTPUTS.senderEmail]: sender,
      [STACK_OUTPUTS.bucketName]: stackNames.bucket,
      ...Object.fromEntries(TABLE_NAMES.map((name) => [tableOutputKey(name), stackNames.tables[name]])),
      [STACK_OUTPUTS.sftpServerId]: serverId,
      [STACK_OUTPUTS.transferUserRoleArn]: 'arn:aws:iam::123456789012:role/bx-transfer-user',
      [STACK_OUTPUTS.region]: region,
    };
    const template = {
      Resources: { Placeholder: { Type: 'AWS::SQS::Queue', Properties: { QueueName: `${stackName}-placeholder` } } },
      Outputs: Object.fromEntries(Object.entries(outputs).map(([key, value]) => [key, { Value: value }])),
    };
    await new CloudFormationClient(aws).send(new CreateStackCommand({ StackName: stackName, TemplateBody: JSON.stringify(template) }));
  }

  const transfer = new TransferClient(aws);
  let serverId = '';

  beforeAll(async () => {
    await createExchange(stackNames.bucket, stackNames.tables.partners);
    serverId =
      (await transfer.send(new CreateServerCommand({ Protocols: ['SFTP'], IdentityProviderType: 'SERVICE_MANAGED' }))).ServerId ?? '';
    await createStack(`${prefix}-stack`, serverId);
    await createStack(`${prefix}-broken`, 's-00000000000000000');
  });

  it('creates the Transfer user: logical home on the partner tree, session policy, every key', async () => {
    const { code, stdout, stderr } = await cli('--stack', `${prefix}-stack`, ...acmeArgs, '--ssh-key', secondKeyFile);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(serverId);
    expect(stdout).toContain(`portal: 1 admin invited, 0 removed (https://${prefix}-stack.cloudfront.example)`);

    const { User: user } = await transfer.send(new DescribeUserCommand({ ServerId: serverId, UserName: 'acme' }));
    expect(user).toMatchObject({
      Role: 'arn:aws:iam::123456789012:role/bx-transfer-user',
      HomeDirectoryType: 'LOGICAL',
      HomeDirectoryMappings: [{ Entry: '/', Target: `/${stackNames.bucket}/partners/acme` }],
      Policy: transferSessionPolicy(stackNames.bucket),
    });
    expect(user?.SshPublicKeys).toHaveLength(2);
    expect(await repo(stackNames.tables.partners).get('acme')).toBeDefined();
    expect(await store(stackNames.bucket).head('partners/acme/multientity/employees/upload/all/')).toBeDefined();
  });

  it("changes the Transfer user's keys live and gives each further user its own Transfer user (SPEC §17)", async () => {
    // Prepare
    const stack = ['--stack', `${prefix}-stack`];
    const bodies = async (user: string) =>
      ((await transfer.send(new DescribeUserCommand({ ServerId: serverId, UserName: user }))).User?.SshPublicKeys ?? []).map(
        (k) => k.SshPublicKeyBody?.split(' ')[1],
      );
    const third = generateEd25519KeyPair();
    const thirdFile = join(keyDir, 'third.pub');
    writeFileSync(thirdFile, third.public);
    const fingerprint =
      (JSON.parse((await cli(...stack, 'partner', 'show', 'acme')).stdout) as { sshPublicKeys: { fingerprint: string }[] }).sshPublicKeys[0]
        ?.fingerprint ?? '';

    // Act
    const update = await cli(...stack, 'partner', 'update', 'acme', '--add-ssh-key', thirdFile, '--remove-ssh-key', fingerprint);
    const user = await cli(...stack, 'partner', 'user', 'add', 'acme', 'acme-payroll', '--ssh-key', thirdFile);

    // Assess
    expect([update.code, update.stderr, user.code, user.stderr]).toEqual([0, '', 0, '']);
    expect(await bodies('acme')).toEqual([secondKeyFile, thirdFile].map((f) => readFileSync(f, 'utf8').split(' ')[1]));
    const { User: created } = await transfer.send(new DescribeUserCommand({ ServerId: serverId, UserName: 'acme-payroll' }));
    expect(created).toMatchObject({
      HomeDirectoryType: 'LOGICAL',
      HomeDirectoryMappings: [{ Entry: '/', Target: `/${stackNames.bucket}/partners/acme` }],
      Policy: transferSessionPolicy(stackNames.bucket),
    });
    expect(await bodies('acme-payroll')).toEqual([third.public.split(' ')[1]]);
    expect((await cli(...stack, 'partner', 'user', 'remove', 'acme', 'acme-payroll')).code).toBe(0);
    await expect(transfer.send(new DescribeUserCommand({ ServerId: serverId, UserName: 'acme-payroll' }))).rejects.toThrow();
  });

  it('takes --stack after the subcommand too, and removes the Transfer user with the partner', async () => {
    const removed = await cli('partner', 'remove', 'acme', '--stack', `${prefix}-stack`);
    expect(removed.code).toBe(0);
    await expect(transfer.send(new DescribeUserCommand({ ServerId: serverId, UserName: 'acme' }))).rejects.toThrow();
    expect(await repo(stackNames.tables.partners).get('acme')).toBeUndefined();
  });

  it('leaves nothing half-onboarded when the Transfer user cannot be created', async () => {
    const { code, stderr } = await cli('--stack', `${prefix}-broken`, ...acmeArgs);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^error: partner acme not added: failed creating its Transfer Family user: .*\n$/);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(await repo(stackNames.tables.partners).get('acme')).toBeUndefined();
  });

  it('reports an unknown stack in one line', async () => {
    const { code, stderr } = await cli('--stack', `${prefix}-missing`, 'partner', 'list');
    expect(code).toBe(1);
    expect(stderr).toMatch(/^error: stack .*-missing not found/);
  });
});
