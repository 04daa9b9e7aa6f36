import type { Command } from 'commander';
import { parsePartnerId } from './arguments.ts';
import type { CommandContext } from './context.ts';
import { updatePartner } from './partner-update.ts';
import type { PartnerUpdateOptions } from './partner-update-plan.ts';
import { addUser, listUsers, removeUser, type UserAddOptions } from './user-commands.ts';
import { InvalidArgumentError } from 'commander';
import { parseUploadName } from './arguments.ts';
import { redrive } from './queue-commands.ts';
import { showMetrics } from './metrics-command.ts';
import { listUploads, retryUpload, showUpload } from './upload-admin.ts';

/**
 * The operating commands of SPEC §17 (`partner update`, `partner user …`), registered on the
 * command tree by cli/program.ts.
 */

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** `partner update` and `partner user add|list|remove`, under the `partner` command. */
export function partnerOperationCommands(partner: Command, ctx: CommandContext): void {
  partner
    .command('update')
    .description('change a live partner: companies, admins, SSH keys, settings (every change is recorded)')
    .argument('<id>', 'partner id', parsePartnerId)
    .option('--add-company <taxId[=name]>', 'a company to add (repeatable)', collect)
    .option('--remove-company <taxId>', 'a company to remove; with active employees needs --force (repeatable)', collect)
    .option('--rename-company <taxId=name>', 'a new display name (repeatable)', collect)
    .option('--add-admin-email <address>', 'an admin to add (repeatable)', collect)
    .option('--remove-admin-email <address>', 'an admin to remove; not the last (repeatable)', collect)
    .option('--add-ssh-key <file.pub>', 'an SSH public key to add; works at the next login (repeatable)', collect)
    .option(
      '--remove-ssh-key <SHA256:fingerprint>',
      'a key to remove, by its fingerprint in partner show; not the last (repeatable)',
      collect,
    )
    .option('--wipe-threshold <share>', 'share of a company a full file may remove, 0 to 1')
    .option('--approval <required|none|profile>', "whether full files' removals wait for approval (profile: the profile's rule)")
    .option('--custom-header <name=store|ignore|remove>', 'retrofit: set or remove an agreed extra header (repeatable)', collect)
    .option('--notify <rejections|all>', 'email admins on rejections only, or on every settled upload')
    .option('--pgp-key <file.asc|none>', "the partner's PGP public key (SPEC §16)")
    .option('--encrypt-uploads <off|optional|required>', 'whether uploads must be encrypted (SPEC §16)')
    .option('--encrypt-downloads <off|on>', 'whether files written for the partner are encrypted (SPEC §16)')
    .option('--force', 'remove companies that still have active employees (they are removed, credits cancelled)')
    .option('--actor <name>', 'who is recorded as making the change (default: the OS user)')
    .action((id: string, options: PartnerUpdateOptions) => updatePartner(ctx, id, options));

  const user = partner.command('user').description('further SFTP users of a partner, each with its own keys');
  user
    .command('add')
    .description("add an SFTP user that logs in with its own name and keys into the partner's tree")
    .argument('<partner>', 'partner id', parsePartnerId)
    .argument('<user>', 'login name, unique in the environment: [a-z0-9-]{3,40}')
    .option('--ssh-key <file.pub>', 'an SSH public key file (repeatable)', collect)
    .option('--company <taxId>', "only rows for this company (repeatable; default: all the partner's)", collect)
    .option('--actor <name>', 'who is recorded as making the change (default: the OS user)')
    .action((partnerId: string, name: string, options: UserAddOptions) => addUser(ctx, partnerId, name, options));
  user
    .command('list')
    .description("the partner's SFTP users (the partner id first)")
    .argument('<partner>', 'partner id', parsePartnerId)
    .option('--json', 'print a JSON array')
    .action((partnerId: string, options: { json?: boolean }) => listUsers(ctx, partnerId, options));
  user
    .command('remove')
    .description('remove an SFTP user: refused at its next login')
    .argument('<partner>', 'partner id', parsePartnerId)
    .argument('<user>', 'login name')
    .option('--actor <name>', 'who is recorded as making the change (default: the OS user)')
    .action((partnerId: string, name: string, options: { actor?: string }) => removeUser(ctx, partnerId, name, options));
}

const positive = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number from 1');
  return n;
};

/** `uploads list|show|retry` and `queues redrive`. */
export function operationCommands(program: Command, ctx: CommandContext): void {
  const uploads = program.command('uploads').description('find, inspect and retry uploads');
  uploads
    .command('list')
    .description("a partner's uploads, newest first")
    .argument('<partner>', 'partner id', parsePartnerId)
    .option('--limit <n>', 'how many (default 20)', positive)
    .option('--json', 'print a JSON array')
    .action((partnerId: string, options: { limit?: number; json?: boolean }) => listUploads(ctx, partnerId, options));
  uploads
    .command('show')
    .description('one upload: its record, its errors and the paths of its files')
    .argument('<partner>', 'partner id', parsePartnerId)
    .argument('<upload>', '<ts>-<name>, as in status.csv', parseUploadName)
    .option('--errors <n>', 'how many errors of its report to show (default 20)', positive)
    .option('--json', 'print JSON')
    .action((partnerId: string, name: string, options: { json?: boolean; errors?: number }) => showUpload(ctx, partnerId, name, options));
  uploads
    .command('retry')
    .description('send a System-failed upload again, from its archived bytes, as a new upload')
    .argument('<partner>', 'partner id', parsePartnerId)
    .argument('<upload>', '<ts>-<name>, as in status.csv', parseUploadName)
    .option('--actor <name>', 'who is recorded as retrying (default: the OS user)')
    .action((partnerId: string, name: string, options: { actor?: string }) => retryUpload(ctx, partnerId, name, options));

  const queues = program.command('queues').description('the processing queues');
  queues
    .command('redrive')
    .description('move dead-lettered messages back to their queue (all queues when none named)')
    .argument('[queue...]', 'ingest, uploads or events')
    .action((names: string[]) => redrive(ctx, names));

  program
    .command('metrics')
    .description('local mode: upload counters summed from the emitted metric (EMF) lines')
    .option('--partner <id>', "only this partner's uploads", parsePartnerId)
    .option('--json', 'print a JSON array')
    .action((options: { partner?: string; json?: boolean }) => showMetrics(ctx, options));
}
