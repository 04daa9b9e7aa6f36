import { Command, Option, type HelpContext } from 'commander';
import { ENTITY_TYPES, PROFILES } from '../lambdas/core/partners/partner.ts';
import { parseCycle, parseDate, parseExistingFile, parseInstant, parsePartnerId, parseUploadName } from './arguments.ts';
import type { CommandContext } from './context.ts';
import { showEmails } from './emails.ts';
import { loadDemoEvents, loadEvents } from './event-commands.ts';
import { EXIT, oneLine, type CliIo } from './io.ts';
import { runEligibleListsJob, runExpireApprovalsJob, runPayrollJob, runReportsJob } from './job-commands.ts';
import { runWorkforceBackfill } from './workforce-commands.ts';
import { addPartner, listPartners, removePartner, showPartner } from './partner-commands.ts';
import { initProviderKey, printProviderPublicKey } from './pgp-commands.ts';
import type { PgpOptions } from './pgp-options.ts';
import type { PartnerAddOptions } from './partner-options.ts';
import { decideUpload } from './upload-commands.ts';
import { operationCommands, partnerOperationCommands } from './operations-program.ts';

/**
 * The command tree of `benefits-exchange` (SPEC §12). Commander parses and reports usage errors;
 * the actions live in their own modules and get the shared {@link CommandContext}.
 */

/**
 * A command that reports a missing subcommand as one usage line instead of printing its help to
 * stderr, which commander does by default and which scripts cannot tell from a real answer.
 */
class CliCommand extends Command {
  override createCommand(name?: string): CliCommand {
    return new CliCommand(name);
  }

  override help(context?: HelpContext | ((text: string) => string)): never {
    if (typeof context === 'object' && context.error) {
      const path: string[] = [];
      for (let c: Command | null = this; c?.parent; c = c.parent) path.unshift(c.name());
      const names = this.commands.map((c) => c.name()).join('|');
      this.error(`error: expected a command: ${[...path, names].join(' ')} (see --help)`, {
        exitCode: EXIT.usage,
        code: 'bx.missingCommand',
      });
    }
    return super.help(context as HelpContext);
  }
}

// No default array: commander would print `(default: [])` in the help.
const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

function partnerCommands(program: Command, ctx: CommandContext): void {
  const partner = program.command('partner').description('onboard, inspect and offboard partners (SFTP accounts)');
  partner
    .command('add')
    .description('store a partner, create its SFTP tree and (with --stack) its Transfer Family user')
    .argument('<id>', 'partner id, also the SFTP user name: [a-z0-9-]{3,40}')
    .option('--entity-type <type>', `one of ${ENTITY_TYPES.join(', ')}`)
    .option('--profile <profile>', `file dialect: ${PROFILES.join(', ')} (default wellhub)`)
    .option('--company <taxId[=name]>', 'a company tax ID and display name (repeatable)', collect)
    .option('--admin-email <address>', 'an admin emailed on rejections (repeatable)', collect)
    .option('--ssh-key <file.pub>', 'an SSH public key file (repeatable)', collect)
    .option('--country <code>', 'two-letter country (default BR)')
    .option('--currency <code>', 'three-letter currency (default BRL)')
    .option('--wipe-threshold <share>', 'share of a company a full file may remove, 0 to 1 (default 0.1)')
    .option('--custom-header <name=store|ignore>', 'retrofit: an agreed extra header (repeatable)', collect)
    .option('--approval <required|none>', "whether full files' removals wait for approval (default: upwards required, others none)")
    .option('--pgp-key <file.asc|none>', "the partner's OpenPGP public key (what encrypted downloads are encrypted to)")
    .option('--encrypt-uploads <off|optional|required>', 'whether uploads may or must be encrypted to our key (default off)')
    .option('--encrypt-downloads <off|on>', "write files with personal data as {name}.pgp to the partner's key (default off)")
    .action((id: string, options: PartnerAddOptions & PgpOptions) => addPartner(ctx, id, options));
  partner
    .command('list')
    .description('one line per partner')
    .action(() => listPartners(ctx));
  partner
    .command('show')
    .description('a partner as JSON (SSH keys as fingerprints)')
    .argument('<id>')
    .action((id: string) => showPartner(ctx, id));
  partner
    .command('remove')
    .description('delete the partner and its Transfer user; its files are kept for audit')
    .argument('<id>')
    .action((id: string) => removePartner(ctx, id));
  partnerOperationCommands(partner, ctx);
}

function jobCommands(program: Command, ctx: CommandContext): void {
  const job = program.command('job').description('run a scheduled job now');
  job
    .command('payroll')
    .description('write payroll deduction files for a cycle')
    .requiredOption('--cycle <YYYY-MM>', 'the payroll month', parseCycle)
    .option('--partner <id>', 'only this partner', parsePartnerId)
    .action((options: { cycle: string; partner?: string }) => runPayrollJob(ctx, options));
  job
    .command('reports')
    .description('write usage reports for the period ending on a day')
    .requiredOption('--end <YYYY-MM-DD>', 'last day of the period', parseDate)
    .option('--partner <id>', 'only this partner', parsePartnerId)
    .action((options: { end: string; partner?: string }) => runReportsJob(ctx, options));
  job
    .command('expire-approvals')
    .description('expire uploads awaiting approval for more than 14 days (as Deleted)')
    .option('--now <instant>', 'the time to judge expiry at, ISO 8601 (default: now)', parseInstant)
    .action((options: { now?: Date }) => runExpireApprovalsJob(ctx, options));
  job
    .command('eligible-lists')
    .description("rewrite every partner's eligible list")
    .action(() => runEligibleListsJob(ctx));
}

function otherCommands(program: Command, ctx: CommandContext): void {
  const pgp = program.command('pgp').description("the provider's OpenPGP key pair of this environment (SPEC §16)");
  pgp
    .command('init')
    .description('create the key pair once (idempotent) and give partners with encryption settings its public key')
    .action(() => initProviderKey(ctx));
  pgp
    .command('public-key')
    .description('print the armored public key partners encrypt to')
    .action(() => printProviderPublicKey(ctx));

  const events = program.command('events').description('platform events for payroll and the usage reports');
  events
    .command('load')
    .description('load platform events from a JSON Lines file')
    .argument('<file.jsonl>', 'one event per line', parseExistingFile)
    .option('--no-wait', 'return once the file is in the bucket')
    .action((file: string, options: { wait: boolean }) => loadEvents(ctx, file, options));
  events
    .command('demo')
    .description('generate and load realistic demo events for the employees in the base')
    .option('--partner <id>', 'only this partner', parsePartnerId)
    .option('--end <YYYY-MM-DD>', 'last day of the year of events (default today)', parseDate)
    .option('--no-wait', 'return once the file is in the bucket')
    .action((options: { partner?: string; end?: string; wait: boolean }) => loadDemoEvents(ctx, options));

  const upload = program.command('upload').description('answer uploads awaiting approval');
  for (const decision of ['approve', 'decline'] as const) {
    upload
      .command(decision)
      .description(`${decision} an upload awaiting approval`)
      .argument('<partner>', 'partner id', parsePartnerId)
      .argument('<upload>', '<ts>-<name>, as in status.csv', parseUploadName)
      .action((partnerId: string, name: string) => decideUpload(ctx, decision, partnerId, name));
  }

  program
    .command('workforce')
    .description('workforce metrics (SPEC §19)')
    .command('backfill')
    .description('one-time: give employees stored before eligibility histories existed the history their dates stand for')
    .option('--partner <id>', 'only this partner', parsePartnerId)
    .action((options: { partner?: string }) => runWorkforceBackfill(ctx, options));

  program
    .command('emails')
    .description('list the emails the system sent (local mode)')
    .option('--partner <id>', "only emails to this partner's admins", parsePartnerId)
    .option('--json', 'print a JSON array')
    .action((options: { partner?: string; json?: boolean }) => showEmails(ctx, options));
}

/**
 * Builds the program. Output goes to `io`, and no command calls process.exit: usage errors
 * surface as a thrown CommanderError carrying one line already written to `io.stderr`.
 *
 * @param io - where help, results and errors are written
 * @param ctx - shared by the actions; its deployment is read from this program's global options
 */
export function buildProgram(io: CliIo, ctx: CommandContext): Command {
  const program = new CliCommand('benefits-exchange')
    .description('Operate benefits-exchange: partners, jobs and emails, in local mode or on a deployed stack.')
    .addOption(new Option('--stack <name>', 'work on this deployed CloudFormation stack (default: local mode)'))
    .addOption(new Option('--region <region>', "AWS region of the stack (default AWS_REGION, then the stack's Region output)"))
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => write(`${oneLine(text)}\n`),
    })
    .showSuggestionAfterError(true);
  partnerCommands(program, ctx);
  jobCommands(program, ctx);
  otherCommands(program, ctx);
  operationCommands(program, ctx);
  return program;
}
