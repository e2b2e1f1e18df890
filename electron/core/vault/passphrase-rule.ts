// The rule for a new vault passphrase (vault creation and passphrase change; never for opening a vault):
// at least MIN_PASSPHRASE_LENGTH characters, then at least MIN_PASSPHRASE_SCORE from the zxcvbn-ts estimator
// the renderer's meter uses (shared/passphrase-strength.ts), so what the meter calls weak is refused here too.
import { CertDeskError } from '../../../shared/errors.js';
import { loadPassphraseEstimator, passphraseWeakness } from '../../../shared/passphrase-strength.js';

export const MIN_PASSPHRASE_LENGTH = 10;

/**
 * Checks a new vault passphrase. Throws INVALID_INPUT (field "passphrase") naming the minimum length, or the
 * strength, zxcvbn's warning and suggestion; the message never contains the passphrase.
 */
export async function checkNewPassphrase(p: string): Promise<void> {
  if ([...p].length < MIN_PASSPHRASE_LENGTH) {
    throw new CertDeskError('INVALID_INPUT', `passphrase: at least ${MIN_PASSPHRASE_LENGTH} characters are required`, { field: 'passphrase' });
  }
  const weakness = passphraseWeakness((await loadPassphraseEstimator())(p));
  if (weakness !== null) throw new CertDeskError('INVALID_INPUT', `passphrase: ${weakness}`, { field: 'passphrase' });
}
