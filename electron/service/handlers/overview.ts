// The dashboard, CRL publishing, settings (auto-lock, letter template) and the audit log.
import type { Dashboard, Handlers, Settings } from '../../../shared/api.js';
import { DEFAULT_LETTER_TEMPLATE, LETTER_PLACEHOLDERS, checkLetterTemplate, renderLetter } from '../../core/export/letter.js';
import { listCas } from '../../core/issuance/records.js';
import { certificateCounts, expiryCounts, expiryWindow } from '../../core/query/dashboard-counts.js';
import { publishCrls } from '../../core/lifecycle/crl-publish.js';
import { listAudit } from '../../core/vault/audit.js';
import { verifyVault } from '../../core/vault/vault-verify.js';
import type { Vault } from '../../core/vault/vault.js';
import { AUTO_LOCK_SETTING, type ServiceSession } from '../session.js';

const DAY_MS = 86_400_000;
/** A CRL is "due" this long before its next update: time to take the stick to the servers. */
const CRL_DUE_DAYS = 2;
const LETTER_SETTING = 'letter_template';

const SAMPLE_LETTER_VALUES: Record<string, string> = {
  $HolderName: 'Alice Example',
  $ClientCertPwd: 'Sample-Password-Only',
  $ExpiryDate: '2027-11-22',
  $Fingerprint: 'AB:CD:EF:01:23:45:67:89',
  $Alias: 'alice-laptop',
  $CaName: 'Example Issuing CA',
  $PfxFile: 'alice-laptop.pfx',
};

function dashboard(vault: Vault): Dashboard {
  const now = vault.now();
  const nowIso = now.toISOString();
  const soon = new Date(now.getTime() + 30 * DAY_MS).toISOString();
  const counts = certificateCounts(vault.db, nowIso, soon);
  const cas = listCas(vault);

  // The chart's twelve calendar months (UTC, this one first); per issuing CA how many certificates end in each.
  const { months, end } = expiryWindow(now);
  const rows = expiryCounts(vault.db, nowIso, end);
  const byCa = new Map<number | null, number[]>();
  for (const r of rows) {
    const series = byCa.get(r.ca) ?? byCa.set(r.ca, new Array<number>(months.length).fill(0)).get(r.ca)!;
    series[months.indexOf(r.month)]! += r.n;
  }
  const caName = (id: number | null) => cas.find((c) => c.id === id)?.name ?? 'outside this vault';

  return {
    counts: { valid: counts.valid, expired: counts.expired, revoked: counts.revoked, expiringIn30Days: counts.expiringSoon, cas: cas.length },
    expiry: { months, series: [...byCa].map(([ca, series]) => ({ ca: caName(ca), counts: series })).sort((a, b) => a.ca.localeCompare(b.ca)) },
    crls: cas
      .filter((c) => c.hasKey)
      .map((c) => {
        const next = c.nextCrlUpdate;
        const state = next === null ? 'never' : next <= nowIso ? 'overdue' : new Date(next).getTime() - now.getTime() <= CRL_DUE_DAYS * DAY_MS ? 'due' : 'ok';
        return { ca: c.name, nextUpdate: next, state } as const;
      }),
    audit: listAudit(vault.db, { limit: 8 }),
  };
}

function settings(s: ServiceSession, vault: Vault): Settings {
  return { autoLockMinutes: s.autoLockMinutes(), letterTemplate: vault.getSetting<string>(LETTER_SETTING) ?? DEFAULT_LETTER_TEMPLATE, placeholders: [...LETTER_PLACEHOLDERS] };
}

export function overviewHandlers(s: ServiceSession): Handlers<'dashboard' | 'crl.publish' | 'settings.get' | 'settings.update' | 'letter.preview' | 'audit.list' | 'audit.verify'> {
  return {
    dashboard: () => dashboard(s.unlocked()),
    'crl.publish': async ({ folder }) => {
      const vault = s.unlocked();
      s.grants.check(folder, 'folder');
      const r = await publishCrls(vault, folder);
      return { folder: r.folder, crls: r.crls.map(({ ca, crlNumber, entries, nextUpdate, derFile, pemFile }) => ({ ca, crlNumber, entries, nextUpdate, derFile, pemFile })), combinedFile: r.combinedFile, publishBy: r.publishBy };
    },
    'settings.get': () => settings(s, s.unlocked()),
    'settings.update': ({ autoLockMinutes, letterTemplate }) => {
      const vault = s.unlocked();
      if (letterTemplate !== undefined) checkLetterTemplate(letterTemplate);
      if (autoLockMinutes !== undefined && autoLockMinutes !== s.autoLockMinutes()) vault.setSetting(AUTO_LOCK_SETTING, autoLockMinutes);
      if (letterTemplate !== undefined && letterTemplate !== settings(s, vault).letterTemplate) vault.setSetting(LETTER_SETTING, letterTemplate);
      s.touch();
      return settings(s, vault);
    },
    'letter.preview': ({ template }) => {
      s.unlocked();
      return { text: renderLetter(template, SAMPLE_LETTER_VALUES) };
    },
    'audit.list': ({ action, limit }) => listAudit(s.unlocked().db, { action, limit }),
    'audit.verify': () => verifyVault(s.unlocked()),
  };
}
