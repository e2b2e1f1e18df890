// certdesk recipient list | show | set: the recipients directory from the command line (the window's Recipients
// screen does the same through recipient.get and recipient.update).
import type { Recipient } from '../../shared/domain.js';
import type { RecipientChanges, RecipientView } from '../core/issuance/recipient-directory.js';
import type { Command } from './commands.js';
import type { CommandContext } from './context.js';
import { certTable, table } from './format.js';
import { fetchLimit, listed } from './list-limit.js';
import { UsageError } from './usage.js';

const s = { type: 'string' } as const;
const b = { type: 'boolean' } as const;

/** The ID positional as a recipient id (a positive whole number); UsageError otherwise. */
function recipientId(ctx: CommandContext): number {
  const ref = ctx.positional(0, 'ID (a recipient id, as `certdesk recipient list` shows it)');
  if (!/^[1-9]\d{0,15}$/.test(ref)) throw new UsageError(`ID is a recipient id (a whole number from 1), got "${ref}"`);
  return Number(ref);
}

function recipientTable(recipients: Recipient[]): string {
  if (recipients.length === 0) return 'No recipients match.\n';
  return table([
    ['ID', 'KIND', 'NAME', 'E-MAIL', 'ACCOUNT', 'SID'],
    ...recipients.map((r) => [String(r.id), r.kind, r.name, r.email ?? '-', r.account ?? '-', r.sid ?? '-']),
  ]);
}

/** `recipient show`: the fields, the SID (or the one its newest certificate carries, "from certificate N"), its certificates. */
function recipientText(v: RecipientView): string {
  const r = v.recipient;
  const sid = r.sid ?? (v.sidFromCertificate ? `${v.sidFromCertificate.sid} (from certificate ${v.sidFromCertificate.certificateId}; not stored: recipient set ${r.id} --sid-from-certificate)` : '-');
  const fields = table([
    ['ID', String(r.id)],
    ['Kind', `${r.kind} (${v.accountKind === 'device' ? 'computer account' : 'user account'})`],
    ['Name', r.name],
    ['E-mail', r.email ?? '-'],
    ['Phone', r.phone ?? '-'],
    ['Description', r.description ?? '-'],
    ['SID', sid],
    ['Account', r.account ?? '-'],
  ]);
  return `${fields}\nCertificates:\n${v.certificates.length ? certTable(v.certificates) : 'none\n'}`;
}

/** The `recipient set` options as changes: an option given as '' clears its field. */
function changesOf(ctx: CommandContext): RecipientChanges {
  const changes: RecipientChanges = {};
  for (const field of ['email', 'phone', 'description', 'sid', 'account'] as const) {
    const value = ctx.str(field);
    if (value !== undefined) changes[field] = value;
  }
  if (ctx.flag('sid-from-certificate')) {
    if (changes.sid !== undefined) throw new UsageError('give --sid or --sid-from-certificate, not both');
    changes.sidFromCertificate = true;
  }
  if (Object.keys(changes).length === 0) throw new UsageError('recipient set: nothing to change (give --sid, --sid-from-certificate, --account, --email, --phone or --description)');
  return changes;
}

export const RECIPIENT_COMMANDS: Command[] = [
  {
    path: ['recipient', 'list'],
    options: { search: s, limit: s },
    positionals: 0,
    async run(ctx) {
      const { listRecipients } = await import('../core/issuance/recipients.js');
      const recipients = listRecipients(await ctx.vault(), ctx.str('search') ?? '', fetchLimit(ctx).limit);
      return listed('recipients', recipients, ctx, recipientTable);
    },
  },
  {
    path: ['recipient', 'show'],
    options: {},
    positionals: 1,
    async run(ctx) {
      const id = recipientId(ctx);
      const { getRecipientView } = await import('../core/issuance/recipient-directory.js');
      const view = getRecipientView(await ctx.vault(), id);
      return { data: { ...view }, text: recipientText(view) };
    },
  },
  {
    path: ['recipient', 'set'],
    options: { sid: s, 'sid-from-certificate': b, account: s, email: s, phone: s, description: s },
    positionals: 1,
    async run(ctx) {
      const id = recipientId(ctx);
      const changes = changesOf(ctx);
      const { updateRecipient } = await import('../core/issuance/recipient-directory.js');
      const view = updateRecipient(await ctx.vault(), id, changes);
      return { data: { ...view }, text: recipientText(view) };
    },
  },
];
