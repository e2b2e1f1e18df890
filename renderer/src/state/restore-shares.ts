// "Restore with officers' shares instead of the passphrase" (issue 15): the share rows of the restore dialog (a
// share file picked in main's open dialog, its holder's passphrase) and the restored vault's new passphrase,
// checked before anything is sent; main counts K and opens the shares (vault.restore).

export interface RestoreShareRow {
  /** The share file dialog.openFile answered (main may read it). */
  file: string;
  passphrase: string;
}

/**
 * What is still missing before a restore with shares can be sent, in words (empty: it can be sent). A row with
 * neither file nor passphrase is ignored; at least two shares (K is at least 2; main says how many the backup needs).
 * @param newProblem why the new passphrase would be refused (state/passphrase.ts passphraseStrength), or null
 * @param estimatorReady whether the strength estimator has loaded
 */
export function restoreShareMissing(rows: RestoreShareRow[], newPassphrase: string, again: string, newProblem: string | null, estimatorReady: boolean): string[] {
  const out: string[] = [];
  rows.forEach((r, i) => {
    if (r.file === '' && r.passphrase === '') return;
    if (r.file === '') out.push(`Backup share ${i + 1} needs its file.`);
    if (r.passphrase === '') out.push(`Backup share ${i + 1} needs its passphrase.`);
  });
  const given = rows.filter((r) => r.file !== '').length;
  if (given < 2) out.push(`Add the backup shares of at least 2 officers (${given} added).`);
  const files = rows.map((r) => r.file).filter((f) => f !== '');
  if (new Set(files).size !== files.length) out.push('The same share file is added twice.');
  if (newPassphrase === '') out.push('Type the restored vault’s new passphrase.');
  else if (!estimatorReady) out.push('Checking the new passphrase’s strength…');
  else if (newProblem) out.push(`The new passphrase: ${newProblem}`);
  else if (again !== newPassphrase) out.push('The two entries of the new passphrase differ.');
  return out;
}
