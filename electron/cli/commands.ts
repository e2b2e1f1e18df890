// The certdesk commands: each one names its options and calls the engine. Names here are a stable
// scripting interface (see the README); add options, never rename them.
// Each command imports the engine modules it needs when it runs (dynamic import()), so a command loads only
// its own module graph: `certdesk ca list` never loads the PFX, QR, XML or CSV libraries (README "Performance").
// Static imports here are types and light modules only; test/cli/cli-lazy-imports.test.ts checks it.
import { existsSync } from 'node:fs';
import { dirname, extname } from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import type { San, SanType } from '../../shared/domain.js';
import { PROFILE_IDS } from '../../shared/domain.js';
import { CertDeskError } from '../../shared/errors.js';
import { checkParentFolder } from '../core/export/bundle-writer.js';
import { writeFileAtomic } from '../core/files.js';
import type { RenewDelivered } from '../core/delivery/renew-deliver.js';
import type { DeliveryRow } from '../core/delivery/store.js';
import { Vault } from '../core/vault/vault.js';
import type { CommandContext, CommandResult } from './context.js';
import { findingsText } from './findings.js';
import { fetchLimit, listed } from './list-limit.js';
import { auditTable, caTable, certDetails, certTable } from './format.js';
import { bundleTarget, checkOutside, handOver, handoverOptions, handoverOutput, HANDOVER_OPTIONS, outIsFolder } from './handover.js';
// The CA's own lifecycle (issue 14): ca show, export, renew, revoke, set.
import { CA_LIFECYCLE_COMMANDS } from './ca-commands.js';
import { PENDING_COMMANDS } from './pending.js';
import { RECIPIENT_COMMANDS } from './recipient-commands.js';
import { readPassphrase, readSecretFile } from './secrets.js';
import { terminalSafe } from './terminal-text.js';
import { UsageError } from './usage.js';
import { VAULT_COMMANDS } from './vault-commands.js';
// Backups (issue 15): backup, backup verify, backup status, restore.
import { BACKUP_COMMANDS } from './backup-commands.js';
// Two-officer control (issue 15): quorum set, reissue, show.
import { QUORUM_COMMANDS } from './quorum-commands.js';
// CA keys on PKCS#11 tokens (issue 15): token list, and the --pkcs11-* options of ca create and ca import.
import { TOKEN_COMMANDS, TOKEN_KEY_OPTIONS, tokenKeyRequest } from './token-commands.js';

/** Writes a file that commits nothing: first removes what a killed earlier run of the same command left (its ".tmp" siblings). */
async function writeOutput(out: string, data: Uint8Array | string): Promise<void> {
  const { removeTmpSiblings } = await import('../core/delivery/leftovers.js');
  removeTmpSiblings(out);
  writeFileAtomic(out, data);
}

type Options = NonNullable<ParseArgsConfig['options']>;

export interface Command {
  path: string[];
  options: Options;
  /** How many positional arguments it takes. */
  positionals: number;
  run(ctx: CommandContext): Promise<CommandResult>;
}

const s = { type: 'string' } as const;
const many = { type: 'string', multiple: true } as const;
const b = { type: 'boolean' } as const;

const STATUSES = ['valid', 'revoked', 'expired'] as const;

export const COMMANDS: Command[] = [
  {
    path: ['init'],
    options: {},
    positionals: 0,
    async run(ctx) {
      const { createVault } = await import('../core/issuance/new-vault.js');
      const vault = await createVault(ctx.vaultPath, await ctx.passphrase(true));
      vault.close();
      return { data: { vault: ctx.vaultPath }, text: `Created vault ${ctx.vaultPath}\n` };
    },
  },
  {
    path: ['ca', 'create'],
    options: { name: s, subject: s, key: s, days: s, issuer: s, 'path-length': s, 'crl-url': s, 'crl-days': s, ...TOKEN_KEY_OPTIONS },
    positionals: 0,
    async run(ctx) {
      const req = {
        name: ctx.required('name'),
        subject: ctx.required('subject'),
        keyType: await optKey(ctx),
        days: ctx.int('days'),
        issuer: ctx.str('issuer'),
        pathLength: ctx.int('path-length'),
        crlUrl: ctx.str('crl-url'),
        crlDays: ctx.int('crl-days'),
      };
      const vault = await ctx.vault();
      const pkcs11 = await tokenKeyRequest(ctx, req.name, false);
      const { createCa } = await import('../core/issuance/cas.js');
      const ca = await createCa(vault, { ...req, pkcs11 });
      return { data: { ca }, text: `Created CA ${ca.id} "${ca.name}": ${ca.subject}, ${ca.keyType}, valid until ${ca.notAfter}\n` };
    },
  },
  {
    path: ['ca', 'import'],
    options: { name: s, pfx: s, 'pfx-password-file': s, cert: s, key: s, 'key-password-file': s, 'crl-url': s, 'crl-days': s, ...TOKEN_KEY_OPTIONS },
    positionals: 0,
    async run(ctx) {
      const name = ctx.required('name');
      const pfx = ctx.str('pfx');
      const cert = ctx.str('cert');
      if (ctx.str('pkcs11-module') !== undefined) {
        // A key already on a token (issue 15): the certificate from --cert, the key by --pkcs11-key-label.
        if (pfx || ctx.str('key')) throw new UsageError('a key on a token takes --cert FILE only, not --pfx or --key');
        if (!cert) throw new UsageError('give --cert FILE: the CA certificate of the key on the token');
        const vault = await ctx.vault();
        const certData = ctx.readInput(cert, 'cert');
        const token = (await tokenKeyRequest(ctx, name, true))!;
        const { importCa } = await import('../core/issuance/cas.js');
        const ca = await importCa(vault, { name, pkcs11: { ...token, cert: certData }, crlUrl: ctx.str('crl-url'), crlDays: ctx.int('crl-days') });
        return { data: { ca }, text: `Imported CA ${ca.id} "${ca.name}": ${ca.subject}, valid until ${ca.notAfter}; its key stays on token "${token.token}"\n` };
      }
      if (pfx && cert) throw new UsageError('give either --pfx or --cert with --key, not both');
      if (!pfx && !(cert && ctx.str('key'))) throw new UsageError('give --pfx FILE, or --cert FILE and --key FILE');
      const secret = (opt: string, env: string, what: string) =>
        ctx.str(opt) ? readSecretFile(ctx.str(opt)!, what) : process.env[env];
      const vault = await ctx.vault();
      const { importCa } = await import('../core/issuance/cas.js');
      const ca = await importCa(vault, {
        name,
        pfx: pfx ? { data: ctx.readInput(pfx, 'pfx'), password: secret('pfx-password-file', 'CERTDESK_PFX_PASSWORD', 'PFX password') ?? '' } : undefined,
        pem: cert
          ? { cert: ctx.readInput(cert, 'cert'), key: ctx.readInput(ctx.required('key'), 'key'), keyPassword: secret('key-password-file', 'CERTDESK_KEY_PASSWORD', 'key password') }
          : undefined,
        crlUrl: ctx.str('crl-url'),
        crlDays: ctx.int('crl-days'),
      });
      return { data: { ca }, text: `Imported CA ${ca.id} "${ca.name}": ${ca.subject}, valid until ${ca.notAfter}\n` };
    },
  },
  {
    path: ['ca', 'list'],
    options: {},
    positionals: 0,
    async run(ctx) {
      const { listCas } = await import('../core/issuance/records.js');
      const cas = listCas(await ctx.vault());
      return { data: { cas }, text: caTable(cas) };
    },
  },
  {
    path: ['ca', 'cert'],
    options: { out: s, chain: b, der: b },
    positionals: 1,
    async run(ctx) {
      const vault = await ctx.vault();
      const [{ caChain }, { resolveCa }, { toPem }] = await Promise.all([import('../core/issuance/cas.js'), import('../core/issuance/records.js'), import('../core/pki/pem.js')]);
      const ca = resolveCa(vault, ctx.positional(0, 'CA'));
      const out = ctx.required('out');
      const certs = ctx.flag('chain') ? caChain(vault, ca) : caChain(vault, ca).slice(0, 1);
      if (ctx.flag('der')) {
        if (certs.length > 1) throw new UsageError('--der writes one certificate; use PEM for a chain');
        await writeOutput(out, new Uint8Array(certs[0]!.rawData));
      } else {
        await writeOutput(out, certs.map((c) => toPem(new Uint8Array(c.rawData))).join(''));
      }
      return { data: { ca: ca.name, out, certificates: certs.length }, text: `Wrote ${certs.length} certificate(s) of CA "${ca.name}" to ${out}\n` };
    },
  },
  {
    path: ['issue'],
    options: {
      ca: s,
      profile: s,
      name: s,
      email: many,
      upn: many,
      dns: many,
      ip: many,
      uri: many,
      device: s,
      sid: s,
      account: s,
      realm: s,
      key: s,
      days: s,
      alias: s,
      phone: s,
      description: s,
      out: s,
      override: s,
      ...HANDOVER_OPTIONS,
    },
    positionals: 0,
    async run(ctx) {
      const out = ctx.str('out');
      const bundleOptions = ['pfx', 'devices', 'password-file', 'slip', 'letter'].filter((o) => ctx.str(o) !== undefined);
      const bundle = out !== undefined && (outIsFolder(out) || bundleOptions.length > 0);
      // A bundle goes into a folder: say so, rather than that a file's "folder does not exist".
      if (bundle && !outIsFolder(out!) && existsSync(dirname(out!))) {
        throw new UsageError(`--${bundleOptions[0]} makes a bundle, and --out must then be an existing folder: ${out} is not one (a PEM file is written without --${bundleOptions.join(', --')})`);
      }
      const handover = bundle ? await handoverOptions(ctx, out!) : null;
      if (handover) checkParentFolder(handover.outDir);
      const sans: San[] = [];
      const add = (type: SanType, values: string[]) => values.forEach((value) => sans.push({ type, value }));
      add('email', ctx.list('email'));
      add('upn', ctx.list('upn'));
      add('dns', ctx.list('dns'));
      add('ip', ctx.list('ip'));
      add('uri', ctx.list('uri'));
      add('device', ctx.list('device'));
      const realm = ctx.str('realm');
      if (realm !== undefined) sans.push({ type: 'krb5', value: (await import('../core/windows/kerberos.js')).kdcPrincipal(realm) });
      const req = {
        ca: ctx.required('ca'),
        profile: ctx.required('profile'),
        name: ctx.required('name'),
        sans,
        keyType: await optKey(ctx),
        days: ctx.int('days'),
        alias: ctx.str('alias'),
        recipient: { phone: ctx.str('phone'), description: ctx.str('description'), account: ctx.str('account') },
        override: ctx.str('override'),
        sid: ctx.str('sid'),
      };
      const vault = await ctx.vault();
      // With --out, the certificate and its pending delivery commit together; then the files are written (core/delivery).
      let record;
      let findings;
      let extra: CommandResult | null = null;
      if (handover) {
        const { issueWithBundle } = await import('../core/delivery/issue-deliver.js');
        const issued = await issueWithBundle(vault, req, bundleTarget(handover));
        ({ record, findings } = issued);
        extra = await handoverOutput(issued.bundle, handover, ctx.io.stdout.isTTY === true);
      } else if (out) {
        const { issueWithPem } = await import('../core/delivery/issue-deliver.js');
        ({ record, findings } = await issueWithPem(vault, req, out));
        extra = { data: {}, text: `Wrote ${out}\n` };
      } else {
        const { issueCertificate } = await import('../core/issuance/issue.js');
        const issued = await issueCertificate(vault, req);
        issued.privateKeyPkcs8.fill(0);
        ({ record, findings } = issued);
      }
      const data: Record<string, unknown> = { id: record.id, serial: record.serial, sha256: record.sha256, sha1: record.sha1, notBefore: record.notBefore, notAfter: record.notAfter, certificate: record, out: out ?? null, findings, ...extra?.data };
      const text = `Issued certificate ${record.id} to ${record.holder}: serial ${record.serial}, valid until ${record.notAfter}\nSHA-256 ${record.sha256}\n${findingsText(findings, req.override)}${extra?.text ?? ''}`;
      return { data, text };
    },
  },
  {
    path: ['ad-mapping'],
    options: { ca: s, batch: s, account: s, format: s, out: s },
    positionals: Infinity,
    async run(ctx) {
      const [{ AD_MAPPING_FORMATS, adMappingReport }, { selectForAdMapping }] = await Promise.all([import('../core/windows/ad-mapping-format.js'), import('../core/windows/ad-mapping-select.js')]);
      const format = ctx.str('format') ?? 'text';
      if (!(AD_MAPPING_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format is one of ${AD_MAPPING_FORMATS.join(', ')}`);
      if (ctx.positionals.length === 0 && ctx.str('ca') === undefined && ctx.str('batch') === undefined) throw new UsageError('name at least one CERT, or --ca CA or --batch ID');
      const subjects = selectForAdMapping(await ctx.vault(), { certificates: ctx.positionals, ca: ctx.str('ca'), batch: ctx.str('batch'), account: ctx.str('account') });
      const { output, mappings, warnings } = adMappingReport(subjects, format as (typeof AD_MAPPING_FORMATS)[number]);
      // Revoked or expired certificates, a form left out, an account name changed: on stderr, and in --json.
      for (const w of warnings) ctx.io.stderr.write(terminalSafe(`certdesk: warning: ${w}\n`));
      const out = ctx.str('out');
      if (out !== undefined) {
        await writeOutput(out, output);
        return { data: { mappings, warnings, format, out }, text: `Wrote ${out} (${subjects.length} certificate${subjects.length === 1 ? '' : 's'})\n` };
      }
      return { data: { mappings, warnings, format, out: null }, text: output };
    },
  },
  {
    path: ['sign-csr'],
    options: { ca: s, profile: s, csr: s, days: s, alias: s, out: s, override: s },
    positionals: 0,
    async run(ctx) {
      const out = ctx.required('out');
      const csrPath = ctx.required('csr');
      const req = { ca: ctx.required('ca'), profile: ctx.required('profile'), csr: ctx.readInput(csrPath, 'csr'), days: ctx.int('days'), alias: ctx.str('alias'), override: ctx.str('override') };
      // The certificate and its pending PEM delivery commit together; then the file is written (core/delivery).
      const { signCsrWithPem } = await import('../core/delivery/issue-deliver.js');
      const { record, droppedSans, droppedSubject, findings } = await signCsrWithPem(await ctx.vault(), req, out);
      let dropped = droppedSans.length ? `Left out (not allowed by the profile): ${droppedSans.map((d) => `${d.type}:${d.value}`).join(', ')}\n` : '';
      if (droppedSubject.length) dropped += `Left out of the subject (the ${req.profile} profile decides it): ${droppedSubject.join(', ')}\n`;
      return {
        data: { id: record.id, serial: record.serial, sha256: record.sha256, notBefore: record.notBefore, notAfter: record.notAfter, droppedSans, droppedSubject, findings, certificate: record, out },
        text: `Signed certificate ${record.id} for ${record.subject}: serial ${record.serial}, valid until ${record.notAfter}\n${dropped}${findingsText(findings, req.override)}Wrote ${out}\n`,
      };
    },
  },
  {
    path: ['export'],
    options: { out: s, ...HANDOVER_OPTIONS },
    positionals: 1,
    async run(ctx) {
      const cert = ctx.positional(0, 'CERT');
      const handover = await handoverOptions(ctx, ctx.required('out'));
      checkParentFolder(handover.outDir);
      const { extra } = await handOver(await ctx.vault(), cert, handover, ctx.io.stdout.isTTY === true);
      return extra;
    },
  },
  {
    path: ['issue-batch'],
    options: { ca: s, profile: s, csv: s, out: s, passwords: s, key: s, pfx: s, 'dry-run': b, workers: s, devices: s },
    positionals: 0,
    run: async (ctx) => (await import('./batch.js')).issueBatch(ctx, await optKey(ctx)),
  },
  {
    path: ['list'],
    options: { ca: s, status: s, profile: s, 'expiring-within': s, search: s, 'include-cas': b, limit: s },
    positionals: 0,
    async run(ctx) {
      const vault = await ctx.vault();
      const status = ctx.str('status');
      if (status !== undefined && !(STATUSES as readonly string[]).includes(status)) throw new UsageError(`--status is one of ${STATUSES.join(', ')}`);
      const profile = ctx.str('profile');
      if (profile !== undefined && !(PROFILE_IDS as readonly string[]).includes(profile)) throw new UsageError(`--profile is one of ${PROFILE_IDS.join(', ')}`);
      const within = ctx.int('expiring-within');
      if (within !== undefined && within < 0) throw new UsageError('--expiring-within takes 0 or more days');
      const { listCertificates, resolveCa } = await import('../core/issuance/records.js');
      const certificates = listCertificates(vault, {
        caId: ctx.str('ca') ? resolveCa(vault, ctx.str('ca')!).id : undefined,
        status: status as (typeof STATUSES)[number] | undefined,
        profile: profile as (typeof PROFILE_IDS)[number] | undefined,
        expiringWithinDays: within,
        search: ctx.str('search'),
        kind: ctx.flag('include-cas') ? undefined : 'end-entity',
        ...fetchLimit(ctx),
      });
      return listed('certificates', certificates, ctx, certTable);
    },
  },
  {
    path: ['show'],
    options: {},
    positionals: 1,
    async run(ctx) {
      const vault = await ctx.vault();
      const { resolveCertificate, toCertificateRecord } = await import('../core/issuance/records.js');
      const certificate = toCertificateRecord(vault, resolveCertificate(vault, ctx.positional(0, 'CERT')));
      return { data: { certificate }, text: certDetails(certificate) + '\n' + certificate.pem };
    },
  },
  {
    path: ['revoke'],
    options: { reason: s },
    positionals: Infinity,
    async run(ctx) {
      const { parseReason, revokeCertificates } = await import('../core/issuance/revocation.js');
      const reason = parseReason(ctx.str('reason'));
      if (ctx.positionals.length === 0) throw new UsageError('name at least one CERT to revoke');
      const certificates = revokeCertificates(await ctx.vault(), ctx.positionals, reason);
      const cas = [...new Set(certificates.map((c) => c.issuerName))].join(', ');
      return {
        // "certificate" stays for scripts written against single-certificate revoke.
        data: certificates.length === 1 ? { certificate: certificates[0], certificates } : { certificates },
        text: certificates.map((c) => `Revoked certificate ${c.id} (${c.holder}), reason ${reason}.\n`).join('') + `Publish new CRLs (${cas}): certdesk crl publish --out DIR\n`,
      };
    },
  },
  {
    path: ['delete'],
    options: {},
    positionals: Infinity,
    async run(ctx) {
      if (ctx.positionals.length === 0) throw new UsageError('name at least one CERT to delete');
      const { deleteCertificates } = await import('../core/lifecycle/delete.js');
      const certificates = deleteCertificates(await ctx.vault(), ctx.positionals);
      return {
        data: { certificates },
        text: certificates.map((c) => `Deleted certificate ${c.id} (${c.holder}) from the lists; its record and audit history stay.${c.status === 'valid' ? ' It is still valid: revoke it too if it must stop working.' : ''}\n`).join(''),
      };
    },
  },
  {
    path: ['crl', 'publish'],
    options: { out: s },
    positionals: 0,
    async run(ctx) {
      const out = ctx.required('out');
      const { publishCrls } = await import('../core/lifecycle/crl-publish.js');
      const result = await publishCrls(await ctx.vault(), out);
      const lines = result.crls.map((c) => `  ${c.ca}: CRL ${c.crlNumber}, ${c.entries} revoked, next update ${c.nextUpdate} -> ${c.derFile}, ${c.pemFile}\n`).join('');
      return { data: { publish: result }, text: `Published ${result.crls.length} CRL(s) to ${out}:\n${lines}  combined for nginx ssl_crl / Apache: ${result.combinedFile}\nPublish again before ${result.publishBy}.\n` };
    },
  },
  {
    path: ['renew'],
    options: { due: b, ca: s, out: s, passwords: s, 'same-key': b, days: s, pfx: s, 'revoke-old': b, override: s, devices: s },
    positionals: Infinity,
    async run(ctx) {
      const due = ctx.flag('due');
      if (due === (ctx.positionals.length > 0)) throw new UsageError('name the CERTs to renew, or give --due (not both)');
      const out = ctx.str('out');
      const passwords = ctx.str('passwords');
      if ((out === undefined) !== (passwords === undefined)) throw new UsageError('--out DIR and --passwords FILE go together: the bundles and their password list');
      const handover = out ? await handoverOptions(ctx, out) : null;
      if (handover) checkParentFolder(handover.outDir);
      if (passwords && out) checkOutside(out, passwords, '--passwords');
      const days = ctx.int('days');
      const vault = await ctx.vault();
      const [{ resolveCa, resolveCertificate, toCertificateRecord }, { dueForRenewal }, { deliverBundle }, { renewWithBundle }] = await Promise.all([
        import('../core/issuance/records.js'),
        import('../core/lifecycle/renew.js'),
        import('../core/delivery/deliver-bundle.js'),
        import('../core/delivery/renew-deliver.js'),
      ]);
      const caId = ctx.str('ca') ? resolveCa(vault, ctx.str('ca')!).id : undefined;
      // Each renewal commits its successor with a pending delivery, which is marked delivered once the bundle
      // and its password line are written (core/delivery). Renewals an interrupted run committed are finished
      // first: by --due, or when a named certificate turns out to be renewed already.
      const target = handover ? { ...bundleTarget(handover), sinks: { passwordsFile: passwords } } : undefined;
      const interrupted = due ? await interruptedRenewals(vault, caId) : [];
      const refs = due ? dueForRenewal(vault, caId).map((r) => String(r.id)) : ctx.positionals;
      const renewed: Record<string, unknown>[] = [];
      let text = '';
      const report = (r: RenewDelivered) => {
        const item: Record<string, unknown> = { id: r.record.id, renewedFrom: r.previous.id, holder: r.record.holder, notAfter: r.record.notAfter, sha256: r.record.sha256, resumed: r.resumed, findings: r.findings };
        text += r.resumed
          ? `Finished the interrupted renewal ${r.previous.id} -> ${r.record.id} (${r.record.holder}): its bundle gets a new password\n`
          : `Renewed certificate ${r.previous.id} -> ${r.record.id} (${r.record.holder}), valid until ${r.record.notAfter}${ctx.flag('revoke-old') ? '; the old one is revoked as superseded' : ''}\n`;
        text += findingsText(r.findings, ctx.str('override'), '  ');
        if (r.bundle) {
          item.bundle = r.bundle.summary.folder;
          text += `  bundle ${r.bundle.summary.folder}\n`;
        }
        renewed.push(item);
      };
      for (const d of interrupted) {
        const bundle = await deliverBundle(vault, d.id, { resumed: true });
        const previous = toCertificateRecord(vault, resolveCertificate(vault, String(bundle.certificate.renewedFrom)));
        report({ record: bundle.certificate, previous, bundle, resumed: true, findings: [] });
      }
      for (const ref of refs) report(await renewWithBundle(vault, ref, { sameKey: ctx.flag('same-key') || undefined, days, revokeOld: ctx.flag('revoke-old'), override: ctx.str('override') }, target));
      if (renewed.length === 0) text = 'Nothing is due for renewal.\n';
      else if (passwords && renewed.some((r) => r.bundle)) text += `Passwords: ${passwords}\n`;
      return { data: { renewed, passwords: passwords ?? null }, text };
    },
  },
  {
    path: ['crl'],
    options: { out: s, days: s, der: b },
    positionals: 1,
    async run(ctx) {
      const out = ctx.required('out');
      const caRef = ctx.positional(0, 'CA');
      const days = ctx.int('days');
      const { generateCrl } = await import('../core/issuance/revocation.js');
      const crl = await generateCrl(await ctx.vault(), caRef, days);
      await writeOutput(out, ctx.flag('der') ? crl.der : crl.pem);
      const { der: _der, pem: _pem, ...summary } = crl;
      return { data: { crl: summary, out }, text: `Wrote CRL number ${crl.crlNumber} of "${crl.ca}" (${crl.entries} revoked) to ${out}; next update ${crl.nextUpdate}\n` };
    },
  },
  {
    path: ['report', 'expiry'],
    options: { within: s, ca: s, out: s },
    positionals: 0,
    async run(ctx) {
      const out = ctx.required('out');
      const format = extname(out).toLowerCase();
      if (format !== '.csv' && format !== '.ics') throw new UsageError('--out FILE ends in .csv (expiry report) or .ics (calendar)');
      const within = ctx.int('within');
      if (within !== undefined && within < 0) throw new UsageError('--within takes 0 or more days');
      const vault = await ctx.vault();
      const [{ checkedProfiles, listCertificates, resolveCa }, { expiryCsv, expiryItems }, { expiryCalendar }] = await Promise.all([
        import('../core/issuance/records.js'),
        import('../core/lifecycle/expiry-report.js'),
        import('../core/lifecycle/icalendar.js'),
      ]);
      const now = vault.now();
      const caId = ctx.str('ca') ? resolveCa(vault, ctx.str('ca')!).id : undefined;
      const certs = listCertificates(vault, { kind: 'end-entity', caId, limit: Number.MAX_SAFE_INTEGER });
      // Default: what each profile's renew-before days make due (expired included); --within N: everything ending in N days.
      const items = expiryItems(certs, checkedProfiles(vault), now).filter((i) => (within === undefined ? i.daysLeft <= i.renewBeforeDays : i.daysLeft <= within));
      await writeOutput(out, format === '.csv' ? expiryCsv(items) : expiryCalendar(items, { now }));
      return {
        data: { out, format: format.slice(1), items: items.map((i) => ({ id: i.certificate.id, holder: i.certificate.holder, notAfter: i.certificate.notAfter, renewOn: i.renewOn, daysLeft: i.daysLeft })) },
        text: `Wrote ${items.length} certificate(s) ${within === undefined ? 'due for renewal' : `ending within ${within} days`} to ${out}\n`,
      };
    },
  },
  {
    path: ['audit', 'verify'],
    options: {},
    positionals: 0,
    async run(ctx) {
      const result = (await ctx.vault()).verifyAudit();
      if (!result.ok) {
        throw new CertDeskError('AUDIT_BROKEN', `audit chain broken at entry ${result.firstBad!.seq}: ${result.firstBad!.problem}`, { ...result.firstBad, entries: result.entries });
      }
      return { data: { audit: result }, text: `Audit chain intact: ${result.entries} entries verified.\n` };
    },
  },
  {
    path: ['audit', 'list'],
    options: { limit: s, action: s },
    positionals: 0,
    async run(ctx) {
      const { listAudit } = await import('../core/vault/audit.js');
      const entries = listAudit((await ctx.vault()).db, { limit: ctx.int('limit') ?? 100, action: ctx.str('action') });
      return { data: { entries }, text: auditTable(entries) };
    },
  },
  {
    path: ['letter', 'template'],
    options: { set: s, reset: b },
    positionals: 0,
    async run(ctx) {
      const file = ctx.str('set');
      const vault = await ctx.vault();
      const { checkLetterTemplate, DEFAULT_LETTER_TEMPLATE, LETTER_PLACEHOLDERS } = await import('../core/export/letter.js');
      if (file !== undefined && ctx.flag('reset')) throw new UsageError('give --set FILE or --reset, not both');
      if (file !== undefined) {
        const template = Buffer.from(ctx.readInput(file, 'template')).toString('utf8');
        checkLetterTemplate(template);
        vault.setSetting('letter_template', template);
      } else if (ctx.flag('reset')) {
        vault.setSetting('letter_template', DEFAULT_LETTER_TEMPLATE);
      }
      const template = vault.getSetting<string>('letter_template') ?? DEFAULT_LETTER_TEMPLATE;
      return { data: { template, placeholders: [...LETTER_PLACEHOLDERS] }, text: template.endsWith('\n') ? template : template + '\n' };
    },
  },
  // The CA's own lifecycle (issue 14).
  ...CA_LIFECYCLE_COMMANDS,
  ...PENDING_COMMANDS,
  ...VAULT_COMMANDS,
  ...BACKUP_COMMANDS,
  ...QUORUM_COMMANDS,
  ...TOKEN_COMMANDS,
  ...RECIPIENT_COMMANDS,
  {
    path: ['profile', 'list'],
    options: {},
    positionals: 0,
    async run(ctx) {
      const { listProfiles } = await import('../core/issuance/records.js');
      const profiles = listProfiles(await ctx.vault());
      const text = profiles
        .map((p) => `${p.id.padEnd(7)} ${p.name}: ${p.extendedKeyUsage.join('+')}; key ${p.defaultKey}; ${p.validityDays} days; SAN ${p.sanAllowed.join('/')}${p.sanRequireOneOf.length ? ` (needs ${p.sanRequireOneOf.join(' or ')})` : ''}`)
        .join('\n');
      return { data: { profiles }, text: text + '\n' };
    },
  },
  {
    // Prints the profile's targets and what each checks; --set replaces them (MACed in the definition, audited).
    path: ['profile', 'targets'],
    options: { set: s },
    positionals: 1,
    async run(ctx) {
      const vault = await ctx.vault();
      const id = ctx.positional(0, 'PROFILE');
      const list = ctx.str('set');
      const { getProfileTargets, setProfileTargets } = await import('../core/preflight/profile-targets.js');
      const view = list === undefined ? getProfileTargets(vault, id) : setProfileTargets(vault, id, list.split(',').map((t) => t.trim()).filter((t) => t !== ''));
      const width = Math.max(...view.targets.map((t) => t.id.length));
      const on = view.targets.filter((t) => t.on);
      const text =
        `Profile ${view.profile}: ${on.length ? on.map((t) => t.id).join(', ') : 'no targets (only the RFC 5280 rules)'}${view.isDefault ? ' (the built-in default)' : ''}\n` +
        view.targets.map((t) => `  [${t.on ? 'x' : ' '}] ${t.id.padEnd(width)}  ${t.checks}`).join('\n') +
        '\n';
      return { data: { ...view }, text };
    },
  },
  {
    path: ['passphrase', 'change'],
    options: { 'new-passphrase-file': s },
    positionals: 0,
    async run(ctx) {
      const current = await ctx.passphrase();
      const next = await readPassphrase({ file: ctx.str('new-passphrase-file'), envName: 'CERTDESK_NEW_PASSPHRASE', what: 'new vault passphrase', confirm: true });
      const vault = Vault.open(ctx.vaultPath);
      try {
        // changePassphrase checks the current passphrase itself: no separate unlock (and scrypt run) first.
        await vault.changePassphrase(current, next);
      } finally {
        vault.close();
      }
      return { data: { vault: ctx.vaultPath }, text: 'Passphrase changed.\n' };
    },
  },
  // Releasing a hold (issue 14): certificateHold is the one revocation that can be undone (RFC 5280 5.3.1).
  {
    path: ['unhold'],
    options: {},
    positionals: 1,
    async run(ctx) {
      const ref = ctx.positional(0, 'CERT');
      const { releaseHold } = await import('../core/lifecycle/unhold.js');
      const certificate = releaseHold(await ctx.vault(), ref);
      return {
        data: { certificate },
        // A certificate whose end date passed while it was held is released as expired, not valid.
        text: `Released certificate ${certificate.id} (${certificate.holder}) from hold; it is ${certificate.status === 'valid' ? 'valid again' : 'expired (past its end date)'}.\nPublish new CRLs (${certificate.issuerName}) so it leaves the list: certdesk crl publish --out DIR\n`,
      };
    },
  },
];

/** Renewals an interrupted run committed without delivering their bundles (of one CA's certificates, or all). */
async function interruptedRenewals(vault: Vault, caId: number | undefined): Promise<DeliveryRow[]> {
  const [{ pendingRows }, { getCertRow }] = await Promise.all([import('../core/delivery/store.js'), import('../core/issuance/records.js')]);
  return pendingRows(vault).filter((d) => d.kind === 'bundle' && d.operation === 'renew' && (caId === undefined || getCertRow(vault, d.certificate_id!)?.issuer_ca_id === caId));
}

/** --key parsed (core/pki/keys, loaded only when --key is given); undefined without it. */
async function optKey(ctx: CommandContext) {
  const k = ctx.str('key');
  return k === undefined ? undefined : (await import('../core/pki/keys.js')).parseKeyType(k);
}
