// CA keys on PKCS#11 tokens from the command line (issue 15, README "CA keys on a token"):
//   certdesk token list --pkcs11-module PATH
// and the token options of ca create / ca import (commands.ts): --pkcs11-module PATH --pkcs11-token LABEL
// [--pkcs11-key-label LABEL]. The PIN comes from $CERTDESK_PKCS11_PIN or a hidden prompt, never an argument.
import { CertDeskError } from '../../shared/errors.js';
import type { TokenKeyRequest } from '../core/pkcs11/ca-token.js';
import { setTokenPinProvider } from '../core/pkcs11/session.js';
import type { TokenListing } from '../core/pkcs11/token-list.js';
import type { Vault } from '../core/vault/vault.js';
import type { Command } from './commands.js';
import type { CommandContext } from './context.js';
import { promptHidden } from './secrets.js';
import { UsageError } from './usage.js';

const s = { type: 'string' } as const;

/** The token options ca create and ca import take. */
export const TOKEN_KEY_OPTIONS = { 'pkcs11-module': s, 'pkcs11-token': s, 'pkcs11-key-label': s } as const;

/**
 * A token's user PIN: $CERTDESK_PKCS11_PIN when set, else asked without echo on a terminal, else
 * TOKEN_PIN_REQUIRED { ca, token } saying how to give it.
 */
export async function readTokenPin(ca: string, token: string): Promise<string> {
  const fromEnv = process.env.CERTDESK_PKCS11_PIN;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (!process.stdin.isTTY || !process.stderr.isTTY) {
    throw new CertDeskError('TOKEN_PIN_REQUIRED', `CA "${ca}" signs with a key on token "${token}": set $CERTDESK_PKCS11_PIN, or run on a terminal to be asked for the PIN`, { ca, token });
  }
  return promptHidden(`PIN of token "${token}" (CA "${ca}"): `);
}

/** Signing with a token CA in this run asks readTokenPin (context.ts sets it when it opens the vault). */
export function useCliTokenPins(vault: Vault): void {
  setTokenPinProvider(vault, ({ ca, token }) => readTokenPin(ca, token));
}

/**
 * The token options of ca create (`adopt` false) or ca import (`adopt` true) as the engine takes them, with
 * the PIN read; undefined when no --pkcs11-* option was given. UsageError for an incomplete set.
 */
export async function tokenKeyRequest(ctx: CommandContext, caName: string, adopt: boolean): Promise<TokenKeyRequest | undefined> {
  const module = ctx.str('pkcs11-module');
  const token = ctx.str('pkcs11-token');
  const keyLabel = ctx.str('pkcs11-key-label');
  if (module === undefined && token === undefined && keyLabel === undefined) return undefined;
  if (!module) throw new UsageError('--pkcs11-module PATH is required with --pkcs11-token and --pkcs11-key-label');
  if (!token) throw new UsageError('--pkcs11-token LABEL is required with --pkcs11-module');
  if (adopt && !keyLabel) throw new UsageError('--pkcs11-key-label LABEL is required to adopt a key on a token');
  return { module, token, ...(keyLabel ? { keyLabel } : {}), pin: await readTokenPin(caName, token) };
}

function listingText(l: TokenListing): string {
  if (l.tokens.length === 0) return `No initialised token in ${l.module}.\n`;
  return l.tokens
    .map((t) => {
      const head = `Token "${t.label}"  serial ${t.serial || '-'}  ${t.manufacturer} ${t.model}${t.loginRequired ? '  (PIN needed to sign)' : ''}${t.pinLocked ? '  PIN LOCKED' : ''}\n`;
      const objects = t.objects.length
        ? t.objects.map((o) => `  ${o.kind.padEnd(11)}  ${o.type.padEnd(8)}  id ${o.id || '-'}  "${o.label}"\n`).join('')
        : '  (no objects visible without the PIN)\n';
      return head + objects;
    })
    .join('');
}

export const TOKEN_COMMANDS: Command[] = [
  {
    path: ['token', 'list'],
    options: { 'pkcs11-module': s },
    positionals: 0,
    async run(ctx) {
      const module = ctx.required('pkcs11-module');
      const { listTokens } = await import('../core/pkcs11/token-list.js');
      const listing = await listTokens(module);
      return { data: { ...listing }, text: listingText(listing) };
    },
  },
];
