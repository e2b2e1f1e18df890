// Session and vault: status, create, open another file, unlock, lock.
import type { Handlers } from '../../../shared/api.js';
import { resolve } from 'node:path';
import { defaultVaultPath } from '../../core/vault/location.js';
import type { ServiceSession } from '../session.js';

/** A vault file the renderer names: the default location, or one chosen in a dialog this session. */
function checkVaultPath(s: ServiceSession, path: string): void {
  if (resolve(path) !== resolve(defaultVaultPath())) s.grants.check(path, 'path', 'exact-file');
}

export function vaultHandlers(s: ServiceSession): Handlers<'session.status' | 'vault.create' | 'vault.open' | 'vault.unlock' | 'vault.lock'> {
  return {
    'session.status': ({ passive }) => {
      // A non-passive status call is the renderer saying "the officer is here": it restarts the idle timer.
      if (!passive && s.state() === 'unlocked') s.touch();
      return s.status();
    },
    'vault.create': async ({ passphrase, path }) => {
      if (path !== undefined) checkVaultPath(s, path);
      await s.create(passphrase, path);
      return s.status();
    },
    'vault.open': ({ path }) => {
      checkVaultPath(s, path);
      s.switchTo(path);
      s.opened(); // refuses a missing, foreign or newer vault now, with its message
      return s.status();
    },
    'vault.unlock': async ({ passphrase }) => {
      await s.unlock(passphrase);
      return s.status();
    },
    'vault.lock': () => {
      s.lock();
      return s.status();
    },
  };
}
