// CA keys on PKCS#11 tokens (issue 15): the known modules, a module's tokens, logging in to a CA's token, and the
// module check for ca.create / ca.import with a token key. SECURITY: main loads (dlopen) a module only when it is
// one of knownModules() or the file the officer chose in main's module dialog (WriteGrants.checkModule).
import type { Handlers } from '../../../shared/api.js';
import type { ServiceSession } from '../session.js';

type TokenChannel = 'token.modules' | 'token.list' | 'ca.tokenLogin';

/** Refuses (INVALID_INPUT, field `field`) a module path that is neither well known nor chosen in the module dialog. */
export async function checkModulePath(s: ServiceSession, path: string, field: string): Promise<void> {
  const { knownModules } = await import('../../core/pkcs11/known-modules.js');
  s.grants.checkModule(path, field, knownModules().map((m) => m.path));
}

export function tokenHandlers(s: ServiceSession): Handlers<TokenChannel> {
  return {
    'token.modules': async () => (await import('../../core/pkcs11/known-modules.js')).knownModules(),
    'token.list': async ({ module }) => {
      await checkModulePath(s, module, 'module');
      return (await import('../../core/pkcs11/token-list.js')).listTokens(module);
    },
    // The PIN goes to the token's C_Login and nowhere else; a wrong one fails here (TOKEN_PIN_INCORRECT).
    'ca.tokenLogin': async ({ ca, pin }) => (await import('../../core/pkcs11/token-login.js')).tokenLogin(s.unlocked(), String(ca), pin),
  };
}
