import type { CommandContext } from './context.ts';
import { syncPortalAdmins } from './portal-invitations.ts';
import { CliError, oneLine, UsageError } from './io.ts';
import { actorName, existingPartner, operatorClients } from './operator-clients.ts';
import { preparePgpUpdate } from './partner-update-pgp.ts';
import { planPartnerUpdate, type PartnerUpdateDeps, type PartnerUpdateOptions } from './partner-update-plan.ts';
import { deleteKeyIds, deleteKeys, importKeys } from './transfer-logins.ts';
import { activeEmployeeCount, removeCompanyEmployees } from '../lambdas/app/flows/partners/remove-company.ts';

/**
 * `partner update` (SPEC §17): changes the live account. The plan is decided first and nothing
 * is written when it is refused. Then, in the order that never locks the partner out:
 * new Transfer keys, removed companies' employees, the partner record (guarded by its revision),
 * and last the Transfer keys removed. Local mode's SFTP server reads the record at every login,
 * so a key added or removed there counts at the next login too.
 */
export async function updatePartner(
  ctx: CommandContext,
  id: string,
  options: PartnerUpdateOptions,
  deps: PartnerUpdateDeps = {},
): Promise<void> {
  const clients = await operatorClients(ctx);
  const partner = await existingPartner(clients, id);
  const pgp = await preparePgpUpdate(clients, partner, options);
  const planned = planPartnerUpdate(partner, options, pgp ? { ...deps, pgp: pgp.settings } : deps);
  if (!planned.ok) throw new UsageError(planned.error);
  const { plan } = planned;

  // A company with active employees goes only with --force: removing it removes them.
  const active = new Map<string, number>();
  for (const taxId of plan.removedCompanies) active.set(taxId, await activeEmployeeCount(clients.employees, id, taxId));
  const busy = [...active].filter(([, n]) => n > 0);
  if (busy.length > 0 && !options.force) {
    const [taxId, n] = busy[0] ?? ['', 0];
    throw new CliError(
      `company ${taxId} of ${id} has ${n} active employee${n === 1 ? '' : 's'}: pass --force to remove them with it (as a full file without them would; their credits are cancelled). Nothing was changed`,
    );
  }

  const { transfer, deployment } = clients;
  const target = transfer && deployment.transfer ? { client: transfer, transfer: deployment.transfer } : undefined;
  const imported = target ? await importKeys(target.client, target.transfer, id, plan.addedKeys) : [];
  const now = new Date();
  const lines = [...plan.changes];
  try {
    for (const [taxId, n] of busy) {
      const done = await removeCompanyEmployees(
        { store: clients.store, employees: clients.employees, flexben: { credits: clients.credits, history: clients.uploads } },
        partner,
        plan.partner,
        taxId,
        now,
      );
      lines.push(`company ${taxId}: ${done.removed} of ${n} active employees removed, ${done.creditsCancelled} credits cancelled`);
    }
    if (!(await clients.partners.replace(plan.partner, partner.revision))) {
      throw new CliError(`partner ${id} was changed by someone else meanwhile: run the update again`);
    }
  } catch (error) {
    if (target) await deleteKeyIds(target.client, target.transfer, id, imported).catch(() => undefined);
    if (error instanceof CliError) throw error;
    throw new CliError(`partner ${id} not updated: ${oneLine((error as Error).message ?? String(error))}`);
  }
  await pgp?.publish(clients, plan.partner);
  if (target && plan.removedKeys.length > 0) await deleteKeys(target.client, target.transfer, id, plan.removedKeys);

  await clients.changeLog.record(id, { at: now.toISOString(), actor: actorName(options.actor), command: 'partner update', changes: lines });
  ctx.io.stdout.write(`updated partner ${id}:\n${lines.map((l) => `  ${l}\n`).join('')}`);
  // New admins are invited to the portal; removed ones lose their user unless another partner keeps them.
  const others = new Set(
    (await clients.partners.list()).filter((p) => p.partnerId !== id).flatMap((p) => p.adminEmails.map((e) => e.toLowerCase())),
  );
  await syncPortalAdmins(
    ctx,
    clients,
    plan.partner,
    partner.adminEmails.filter((e) => !others.has(e.toLowerCase())),
  );
}
