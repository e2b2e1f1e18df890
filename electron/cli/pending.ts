// certdesk pending: work an interrupted run committed but did not deliver, finished ("resume") or given up
// ("abandon"). A finished bundle gets a new password, shown once like issue's (in --json output or on a
// terminal) and written to the password list, slip or letter the first run named.
import type { FinishedDelivery, PendingDelivery } from '../../shared/pending.js';
import type { Command } from './commands.js';
import type { CommandContext, CommandResult } from './context.js';
import { UsageError } from './usage.js';

function ids(ctx: CommandContext): number[] {
  return ctx.positionals.map((p) => {
    if (!/^[1-9]\d{0,15}$/.test(p)) throw new UsageError(`"${p}" is not a delivery id (run "certdesk pending" to list them)`);
    return Number(p);
  });
}

function listText(items: PendingDelivery[]): string {
  if (items.length === 0) return 'Nothing is pending: every committed certificate, bundle and CRL was delivered.\n';
  return (
    items.map((d) => `${String(d.id).padStart(4)}  ${d.since.slice(0, 19).replace('T', ' ')}  ${d.summary}\n`).join('') +
    `Finish them with "certdesk pending resume" (a bundle gets a new password: the first one never reached anyone), or give one up with "certdesk pending abandon ID".\n`
  );
}

function finishedText(f: FinishedDelivery, showPassword: boolean): string {
  const head = `Finished delivery ${f.delivery.id}: ${f.delivery.summary}\n` + f.files.map((file) => `  wrote ${file}\n`).join('');
  if (f.password === null) return head;
  const where = f.delivery.passwordTo.length ? `  its new password is in ${f.delivery.passwordTo.join(', ')}\n` : '';
  return head + where + (showPassword ? `  new PFX password (shown once): ${f.password}\n` : '');
}

async function resume(ctx: CommandContext): Promise<CommandResult> {
  const vault = await ctx.vault();
  const { resumeDeliveries } = await import('../core/delivery/resume.js');
  const shown = ctx.json || ctx.io.stdout.isTTY === true;
  const report = await resumeDeliveries(vault, {
    ids: ctx.positionals.length ? ids(ctx) : undefined,
    // Text piped into a file or a log never carries a password: a bundle whose password would go nowhere else waits.
    hold: (d) => (!shown && d.newPassword && d.passwordTo.length === 0 ? 'its new password would reach no one: run "certdesk pending resume" with --json or at a terminal' : null),
  });
  const data = {
    finished: report.finished.map((f) => ({ ...f.delivery, files: f.files, ...(f.password === null ? {} : { password: f.password }) })),
    failed: report.failed.map((f) => ({ ...f.delivery, code: f.code, message: f.message })),
  };
  const text =
    (report.finished.length + report.failed.length === 0 ? 'Nothing is pending.\n' : '') +
    report.finished.map((f) => finishedText(f, shown)).join('') +
    report.failed.map((f) => `Not finished: delivery ${f.delivery.id} (${f.delivery.summary}): ${f.message}\n`).join('');
  const failure = report.failed.length ? `${report.failed.length} delivery(ies) not finished: ${report.failed.map((f) => `${f.delivery.id} (${f.message})`).join('; ')}` : undefined;
  return { data, text, failure };
}

export const PENDING_COMMANDS: Command[] = [
  {
    path: ['pending'],
    options: {},
    positionals: 0,
    async run(ctx) {
      const { listPending } = await import('../core/delivery/pending.js');
      const pending = listPending(await ctx.vault());
      return { data: { pending }, text: listText(pending) };
    },
  },
  {
    path: ['pending', 'resume'],
    options: {},
    positionals: Infinity,
    run: resume,
  },
  {
    path: ['pending', 'abandon'],
    options: { reason: { type: 'string' } },
    positionals: Infinity,
    async run(ctx) {
      const which = ids(ctx);
      if (which.length === 0) throw new UsageError('name at least one delivery to abandon (run "certdesk pending" to list them)');
      const reason = ctx.str('reason')?.trim() || 'abandoned with certdesk pending abandon';
      const vault = await ctx.vault();
      const [{ abandonDelivery, requireAbandonable }, { describeDelivery }] = await Promise.all([import('../core/delivery/abandon.js'), import('../core/delivery/pending.js')]);
      const abandoned = which.map((id) => describeDelivery(vault, requireAbandonable(vault, id)));
      for (const id of which) abandonDelivery(vault, id, reason);
      return {
        data: { abandoned },
        text: abandoned.map((d) => `Abandoned delivery ${d.id}: ${d.summary}${d.kind === 'bundle' ? '. The certificate stays valid: export it again later (if its key is kept), or revoke it if it must not be used.' : ''}\n`).join(''),
      };
    },
  },
];
