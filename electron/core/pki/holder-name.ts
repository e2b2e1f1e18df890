// The holder's name, the subject CN of an end-entity certificate: one rule for the CLI, the wizard, batches and
// CSRs signed under a profile that decides the subject.
import { CertDeskError } from '../../../shared/errors.js';
import { deceptiveCharacter } from './deceptive-characters.js';

/**
 * The holder (the subject's CN) trimmed and in NFC. Throws CertDeskError INVALID_NAME, message starting with
 * `field`, when it is empty, longer than 64 characters (RFC 5280 ub-common-name), or holds a control,
 * bidirectional formatting or invisible character (deceptive-characters.ts).
 */
export function checkHolder(name: string, field = 'name'): string {
  const holder = name.trim().normalize('NFC');
  if (!holder) throw new CertDeskError('INVALID_NAME', `${field}: the holder name is empty`, { field });
  if (/\p{Cc}/u.test(holder)) throw new CertDeskError('INVALID_NAME', `${field}: must be one line without control characters`, { field });
  const deceptive = deceptiveCharacter(holder);
  if (deceptive) {
    throw new CertDeskError('INVALID_NAME', `${field}: must not hold ${deceptive.what.startsWith('invisible') ? 'an' : 'a'} ${deceptive.what} (such characters make a name display as another)`, { field });
  }
  if ([...holder].length > 64) throw new CertDeskError('INVALID_NAME', `${field}: at most 64 characters (RFC 5280 common name), got ${[...holder].length}`, { field });
  return holder;
}
