// certdesk vault verify: the audit chain, every authenticated record and the record sets. Prints "ok", or
// each problem on a line of its own and exits 1.
import type { Command } from './commands.js';

export const VAULT_COMMANDS: Command[] = [
  {
    path: ['vault', 'verify'],
    options: {},
    positionals: 0,
    async run(ctx) {
      const { verificationLines, verifyVault } = await import('../core/vault/vault-verify.js');
      const verification = verifyVault(await ctx.vault());
      if (verification.ok) return { data: { verification }, text: 'ok\n' };
      const lines = verificationLines(verification);
      const message = `the vault was changed outside CertDesk: ${lines.length} problem${lines.length === 1 ? '' : 's'} (listed on stdout)`;
      return { data: { ok: false, code: 'VAULT_TAMPERED', message, verification }, text: lines.map((l) => l + '\n').join(''), failure: message };
    },
  },
];
