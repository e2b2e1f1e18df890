// The account an --account NAME names, checked against the kind of certificate it is for: a user certificate maps
// to a user account (Set-ADUser), a device, server or KDC certificate to a computer account (Set-ADComputer), whose
// sAMAccountName ends in `$` (Microsoft, "sAMAccountName attribute"; a computer named PC-7 is the account PC-7$).
import { CertDeskError } from '../../../shared/errors.js';
import { checkAccountName } from './sid.js';

export interface MappingAccount {
  /** The sAMAccountName the script uses. */
  account: string;
  /** Said to the officer when the name was changed (a computer account's `$` added); null when taken as given. */
  note: string | null;
}

/**
 * `value` as the account of a certificate of `kind` (account-kind.ts). For a device the computer account's `$` is
 * added when missing, and `note` says so (CertDesk's choice, documented in the README: `pc-7` and `pc-7$` name the
 * same computer, so refusing would only make the officer type it again). For a person a name ending in `$` is
 * refused: it is a computer account. Then checkAccountName's rules (sid.ts): at most 20 characters for a user, 16
 * with the `$` for a computer, none of `" / \ [ ] : ; | = , + * ? < > @` or control characters. Throws
 * CertDeskError INVALID_INPUT, message starting with `field` and naming the value.
 */
export function mappingAccount(value: string, kind: 'person' | 'device', field = 'account'): MappingAccount {
  const name = value.trim();
  if (kind === 'person') {
    if (name.endsWith('$')) {
      throw new CertDeskError('INVALID_INPUT', `${field}: "${name.slice(0, 100)}" ends in $, which names a computer account; a user certificate maps to a user account (Set-ADUser), named without $`, { field });
    }
    return { account: checkAccountName(name, field), note: null };
  }
  if (name.endsWith('$')) return { account: checkAccountName(name, field), note: null };
  checkAccountName(name, field); // the name as typed: an error names what the officer gave
  const account = checkAccountName(`${name}$`, field);
  return { account, note: `${field}: a computer account's name ends in $: mapping to "${account}" (Set-ADComputer), not "${name}"` };
}
