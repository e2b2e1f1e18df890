// Where a bundle's password goes besides the screen: a password list (a batch's or a renewal run's), a
// printable hand-over slip, a letter from the vault's template. Written after the bundle is complete and
// before the delivery is marked delivered, so a delivery is done only once its password has reached its place.
import { basename } from 'node:path';
import type { CertificateRecord, ExportSummary } from '../../../shared/domain.js';
import { PasswordList } from '../batch/password-list.js';
import { renderHandoverSlip } from '../export/handover-slip.js';
import { DEFAULT_LETTER_TEMPLATE, renderLetter } from '../export/letter.js';
import { writeFileAtomic } from '../files.js';
import type { Vault } from '../vault/vault.js';
import type { PasswordSinks } from './store.js';

export const LETTER_SETTING = 'letter_template';

export interface DeliveredPassword {
  certificate: CertificateRecord;
  summary: ExportSummary;
  password: string;
}

/** The PFX's name inside the bundle folder. */
export function pfxFileOf(summary: ExportSummary): string {
  return summary.files.find((f) => f.name.endsWith('.pfx'))!.name;
}

/**
 * Writes the password to each sink given: a line in the password list (through `openList` when the caller
 * keeps one open for a whole batch), the slip and the letter (owner-only, replaced atomically). Throws
 * IO_ERROR naming the file that could not be written.
 */
export async function writePasswordSinks(vault: Vault, d: DeliveredPassword, sinks: PasswordSinks, openList?: PasswordList): Promise<void> {
  const c = d.certificate;
  const pfxFile = pfxFileOf(d.summary);
  const list = openList ?? (sinks.passwordsFile ? new PasswordList(sinks.passwordsFile) : null);
  try {
    list?.append(c.holder, c.alias, `${basename(d.summary.folder)}/${pfxFile}`, d.password);
  } finally {
    if (list && !openList) list.close();
  }
  if (sinks.slip) {
    writeFileAtomic(sinks.slip, await renderHandoverSlip({ holder: c.holder, alias: c.alias, password: d.password, notAfter: c.notAfter, sha256: c.sha256, pfxFileName: pfxFile }), 0o600);
  }
  if (sinks.letter) {
    // What is printed next to a password decides what its holder reads: checked (VAULT_TAMPERED if changed outside CertDesk).
    const template = vault.verifiedSetting<string>(LETTER_SETTING) ?? DEFAULT_LETTER_TEMPLATE;
    const text = renderLetter(template, {
      $HolderName: c.holder,
      $ClientCertPwd: d.password,
      $ExpiryDate: c.notAfter.slice(0, 10),
      $Fingerprint: c.sha256.toUpperCase().match(/../g)!.join(':'),
      $Alias: c.alias ?? '',
      $CaName: c.issuerName ?? '',
      $PfxFile: pfxFile,
    });
    writeFileAtomic(sinks.letter, text, 0o600);
  }
}
