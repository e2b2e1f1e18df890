// certdesk ca show | export | renew | revoke | set: the CA's own lifecycle (issue 14). Engine modules are
// imported inside each command (cli-lazy-imports): `ca show` never loads the PFX library.
import { CertDeskError } from '../../shared/errors.js';
import { existsSync } from 'node:fs';
import type { CaDetails, CaExportFormat, CaRecord, PfxEncryption } from '../../shared/domain.js';
import { CA_EXPORT_FORMATS } from '../../shared/domain.js';
import type { Command } from './commands.js';
import type { CommandContext } from './context.js';
import { readPassphrase } from './secrets.js';
import { escapeTerminal } from './terminal-text.js';
import { UsageError } from './usage.js';

const s = { type: 'string' } as const;
const b = { type: 'boolean' } as const;

/** `ca show`: one labelled line per field, then the extensions as @peculiar/x509 prints them. */
export function caDetailsText(d: CaDetails): string {
  const c = d.ca;
  const lines: [string, string][] = [
    ['ID', String(c.id)],
    ['Name', c.name],
    ['State', d.stateText],
    ['Subject', c.subject],
    ['Issuer', d.issuer + (d.issuerCaName ? ` (CA "${d.issuerCaName}")` : c.issuerCaId === null ? ' (self-signed root)' : '')],
    ['Serial', c.serial],
    ['Valid from', c.notBefore],
    ['Valid until', c.notAfter],
    ['Key', c.keyType + (d.tokenKey ? ` (private key on token "${d.tokenKey.token}", serial ${d.tokenKey.serial}, key "${d.tokenKey.keyLabel}", PKCS#11 module ${d.tokenKey.module})` : c.hasKey ? ' (private key kept in the vault)' : ' (no private key in this vault)')],
    ['Subject key ID', d.subjectKeyId ?? '-'],
    ['Authority key ID', d.authorityKeyId ?? '-'],
    ['Basic constraints', d.basicConstraints ? `CA:${d.basicConstraints.ca ? 'TRUE' : 'FALSE'}, pathlen:${d.basicConstraints.pathLength ?? 'unlimited'}${d.basicConstraints.critical ? ' (critical)' : ''}` : '-'],
    ['Key usage', d.keyUsage.join(', ') || '-'],
    ['CRL distribution points', d.crlDistributionPoints.join(', ') || '-'],
    ['CRL URL (for what it issues)', c.crlUrl ?? '-'],
    ['CRL valid for', `${c.crlDays} days; last CRL number ${c.crlNumber}${c.lastCrlAt ? `, signed ${c.lastCrlAt}` : ', none signed yet'}`],
    ['Took over from', d.predecessor ? `CA "${d.predecessor.name}" (${d.predecessor.id})` : '-'],
    ['Successor', d.successor ? `CA "${d.successor.name}" (${d.successor.id})` : '-'],
    ['Earlier certificates', d.earlierCertificates.map((e) => `${e.id} (serial ${e.serial}, until ${e.notAfter.slice(0, 10)}, ${e.status})`).join('; ') || '-'],
    ['SHA-1', c.sha1],
    ['SHA-256', c.sha256],
  ];
  const w = Math.max(...lines.map(([k]) => k.length));
  // Each line escaped on its own: escaping the block made its line breaks visible "\x0a" escapes.
  const ext = d.extensions.flatMap((e) => [`  ${e.name}${e.critical ? ' (critical)' : ''}`, ...e.value.split('\n').map((l) => `    ${l}`)]).map(escapeTerminal).join('\n');
  return lines.map(([k, v]) => `${k.padEnd(w)}  ${escapeTerminal(v)}`).join('\n') + `\nExtensions:\n${ext}\n`;
}

function formatOf(ctx: CommandContext): CaExportFormat {
  const f = ctx.required('format');
  if (!(CA_EXPORT_FORMATS as readonly string[]).includes(f)) throw new UsageError(`--format is one of ${CA_EXPORT_FORMATS.join(', ')}, got "${f}"`);
  return f as CaExportFormat;
}

function pfxEncryption(ctx: CommandContext): PfxEncryption | undefined {
  const v = ctx.str('pfx');
  if (v === undefined) return undefined;
  if (v !== 'modern' && v !== 'legacy') throw new UsageError(`--pfx is modern or legacy, got "${v}"`);
  return v;
}

const caLine = (ca: CaRecord) => `CA ${ca.id} "${ca.name}": serial ${ca.serial}, valid until ${ca.notAfter}`;

export const CA_LIFECYCLE_COMMANDS: Command[] = [
  {
    path: ['ca', 'show'],
    options: {},
    positionals: 1,
    async run(ctx) {
      const { showCa } = await import('../core/ca/ca-details.js');
      const details = showCa(await ctx.vault(), ctx.positional(0, 'CA'));
      return { data: { details }, text: caDetailsText(details) };
    },
  },
  {
    path: ['ca', 'export'],
    options: { format: s, out: s, 'password-file': s, pfx: s },
    positionals: 1,
    async run(ctx) {
      const ref = ctx.positional(0, 'CA');
      const format = formatOf(ctx);
      const out = ctx.required('out');
      if (format !== 'pfx' && (ctx.str('password-file') !== undefined || ctx.str('pfx') !== undefined)) {
        throw new UsageError(`--password-file and --pfx are for --format pfx; a ${format} file holds no key`);
      }
      const vault = await ctx.vault();
      const [{ checkKeyExportable, exportCaFile, keyExportWarning }, { resolveCa }] = await Promise.all([import('../core/ca/ca-export.js'), import('../core/issuance/records.js')]);
      let password: string | undefined;
      if (format === 'pfx') {
        const ca = resolveCa(vault, ref);
        // A CA key on a token (issue 15) never leaves it: refused before the warning and the password.
        checkKeyExportable(vault, ca);
        // A file holding a CA's private key is never written over from a script (the app's save dialog asks first).
        if (existsSync(out)) throw new CertDeskError('INVALID_INPUT', `${out} exists: an export of CA "${ca.name}" with its private key never replaces a file; choose another name or remove it first`, { field: 'out' });
        ctx.io.stderr.write(`Warning: ${escapeTerminal(keyExportWarning(ca.name))}\n`);
        password = await readPassphrase({ file: ctx.str('password-file'), envName: 'CERTDESK_PFX_PASSWORD', what: 'PFX password', confirm: true });
      }
      const { removeTmpSiblings } = await import('../core/delivery/leftovers.js');
      removeTmpSiblings(out);
      const result = await exportCaFile(vault, ref, { format, out, password, encryption: pfxEncryption(ctx) });
      const what = result.withKey ? `CA "${result.ca}" with its private key and ${result.certificates} certificate(s)` : `${result.certificates} certificate(s) of CA "${result.ca}"`;
      return { data: { export: result }, text: `Wrote ${what} to ${result.file} (${format})\n` };
    },
  },
  {
    path: ['ca', 'renew'],
    options: { days: s, 'new-key': b, name: s, 'crl-url': s, key: s },
    positionals: 1,
    async run(ctx) {
      const k = ctx.str('key');
      const keyType = k === undefined ? undefined : (await import('../core/pki/keys.js')).parseKeyType(k);
      const { renewCa } = await import('../core/ca/ca-renew.js');
      const r = await renewCa(await ctx.vault(), ctx.positional(0, 'CA'), { days: ctx.int('days'), newKey: ctx.flag('new-key'), name: ctx.str('name'), crlUrl: ctx.str('crl-url'), keyType });
      const text = r.newKey
        ? `Renewed with a new key: CA "${r.ca.name}" (id ${r.ca.id}, serial ${r.ca.serial}, valid until ${r.ca.notAfter}) now issues. CA "${r.previous.name}" is retired: it issues nothing more and still signs CRLs for what it issued.\n`
        : `Renewed ${caLine(r.ca)} (same key; the previous certificate, serial ${r.previous.serial}, is kept).\n`;
      return { data: { ca: r.ca, previous: r.previous, newKey: r.newKey }, text };
    },
  },
  {
    path: ['ca', 'revoke'],
    options: { reason: s },
    positionals: 1,
    async run(ctx) {
      const { parseCaReason, revokeCa } = await import('../core/ca/ca-revoke.js');
      const reason = parseCaReason(ctx.str('reason'));
      const ca = revokeCa(await ctx.vault(), ctx.positional(0, 'CA'), reason);
      return { data: { ca }, text: `Revoked CA "${ca.name}" (${reason}): it issues nothing more; publish the CRLs ("certdesk crl publish") so its parent's CRL lists it.\n` };
    },
  },
  {
    path: ['ca', 'set'],
    options: { 'crl-url': s, 'crl-days': s },
    positionals: 1,
    async run(ctx) {
      const crlUrl = ctx.str('crl-url');
      const crlDays = ctx.int('crl-days');
      if (crlUrl === undefined && crlDays === undefined) throw new UsageError('give --crl-url URL (\'\' removes it) and/or --crl-days N');
      const { setCaCrl } = await import('../core/ca/ca-settings.js');
      const ca = setCaCrl(await ctx.vault(), ctx.positional(0, 'CA'), { crlUrl, crlDays });
      return {
        data: { ca },
        text: `CA "${ca.name}": CRL URL ${ca.crlUrl ?? '(none)'}, each CRL valid ${ca.crlDays} days. Certificates issued before keep the URL they carry.\n`,
      };
    },
  },
];
