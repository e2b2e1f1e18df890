// Subject alternative name types in the words an administrator reads, for messages shown to people (the
// internal type names "dns", "upn", "krb5" are for files, the CLI and the API).
import type { SanType } from '../../../shared/domain.js';

/** One name of each type, as in "needs at least one DNS name or device ID". */
export const SAN_WORD: Record<SanType, string> = {
  email: 'e-mail address',
  upn: 'user principal name (UPN)',
  dns: 'DNS name',
  ip: 'IP address',
  uri: 'URI',
  device: 'device ID',
  krb5: 'Kerberos principal',
};

/** Names of each type, as in "does not allow IP addresses". */
export const SAN_WORDS: Record<SanType, string> = {
  email: 'e-mail addresses',
  upn: 'user principal names (UPN)',
  dns: 'DNS names',
  ip: 'IP addresses',
  uri: 'URIs',
  device: 'device IDs',
  krb5: 'Kerberos principals',
};

/** "a, b or c" (`joiner` "or"/"and"); "" for none. */
export function wordList(words: readonly string[], joiner: 'or' | 'and'): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} ${joiner} ${words[words.length - 1]}`;
}
