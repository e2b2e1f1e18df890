// `electron . --self-test` (npm run smoke): the real app, on a temporary vault, driven through its real
// window. Each step runs in the page (the renderer that app:// served, the preload's window.certdesk,
// IPC with the sender check, the service, the native SQLite build) except the last check, which opens
// the PFX in main with the password the page was shown. Prints one line per step; the caller exits 0
// when every step passed. The same flow runs in `npm test` against the Electron stand-in
// (test/main/self-test.test.ts), with Debian's Chromium as the renderer.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WebContents } from 'electron';
import type { Handover, Result, SessionStatus, TokenModule } from '../../shared/api.js';
import type { CaRecord } from '../../shared/domain.js';
import { CHANNEL_NAMES } from '../../shared/channels.js';
import { pkcs11Lib } from '../core/pkcs11/library.js';
import { parsePfx } from '../core/pki/pkcs12-parse.js';
import { isAppUrl } from './app-url.js';

export const SELF_TEST_FLAG = '--self-test';
/** The whole run, loading included, ends by then (ms). */
export const SELF_TEST_DEADLINE_MS = 180_000;
/** One step ends by then (ms): key generation and the legacy PFX take well under a second. */
const STEP_TIMEOUT_MS = 60_000;
const PREFIX = 'certdesk-self-test-';

/** Where a self-test keeps everything it makes: one temporary folder, removed afterwards. */
export interface SelfTestPlace {
  root: string;
  userData: string;
  vault: string;
  exportDir: string;
}

/**
 * A new temporary folder for this run (its pid written inside), after sweeping away the folders of
 * earlier self-tests whose process is gone (one whose Chromium profile could not be removed at exit).
 */
export function selfTestPlace(): SelfTestPlace {
  const base = tmpdir();
  for (const name of readdirSync(base)) {
    if (!name.startsWith(PREFIX)) continue;
    let pid = 0;
    try {
      pid = Number(readFileSync(join(base, name, 'pid'), 'utf8'));
    } catch {
      continue; // not one of ours, or still being made
    }
    if (pid && !processAlive(pid)) removeQuietly(join(base, name));
  }
  const root = mkdtempSync(join(base, PREFIX));
  writeFileSync(join(root, 'pid'), String(process.pid));
  return { root, userData: join(root, 'profile'), vault: join(root, 'vault.certdesk'), exportDir: join(root, 'export') };
}

/** Removes a folder; false (never a throw) when something in it is still in use. */
export function removeQuietly(path: string): boolean {
  try {
    rmSync(path, { recursive: true, force: true, maxRetries: 3, retryDelay: 100 });
    return true;
  } catch {
    return false;
  }
}

/** Whether a process with this pid exists (signal 0 checks without signalling; EPERM: it exists, not ours). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}

type Log = (line: string) => void;

/** Runs `code` (an async function body) in the page and returns its JSON result. */
async function inPage<T>(contents: WebContents, code: string): Promise<T> {
  return (await contents.executeJavaScript(`(async () => { ${code} })()`, true)) as T;
}

/** One channel of window.certdesk, called from inside the page. */
async function call<T>(contents: WebContents, channel: string, request: unknown): Promise<T> {
  const r = await inPage<Result<T>>(contents, `return await window.certdesk[${JSON.stringify(channel)}](${JSON.stringify(request)});`);
  if (!r.ok) throw new Error(`${channel}: ${r.code}: ${r.message}`);
  return r.data;
}

/**
 * The scripted flow. `contents` is the app window's webContents after its page finished loading;
 * `place` is from selfTestPlace() (its export folder must exist). Resolves true when every step passed;
 * never rejects (a failing step is printed and ends the flow).
 */
export async function runSelfTest(contents: WebContents, place: SelfTestPlace, log: Log): Promise<boolean> {
  const passphrase = `self-test ${Date.now()} ${Math.random()}`;
  let ca: CaRecord | undefined;
  let handover: Handover | undefined;
  const steps: [string, () => Promise<string>][] = [
    ['the window is on app://certdesk and its preload exposes one function per channel', async () => {
      const url = contents.getURL();
      if (!isAppUrl(url)) throw new Error(`the window shows ${url}`);
      const names = await inPage<string[]>(contents, `return Object.keys(window.certdesk || {}).filter((k) => typeof window.certdesk[k] === 'function').sort();`);
      const want = [...CHANNEL_NAMES].sort();
      if (JSON.stringify(names) !== JSON.stringify(want)) throw new Error(`window.certdesk has ${names.length} functions, ${want.length} expected`);
      return `${names.length} channels on ${url}`;
    }],
    ['the window shows the first screen', async () => {
      const heading = await inPage<string>(contents, `
        for (let i = 0; i < 200; i++) {
          const h = document.querySelector('h1');
          if (h && h.textContent) return h.textContent;
          await new Promise((r) => setTimeout(r, 50));
        }
        return '';`);
      if (!/Welcome to CertDesk/.test(heading)) throw new Error(`the first screen's heading is "${heading}"`);
      return heading;
    }],
    ['create the vault', async () => {
      const s = await call<SessionStatus>(contents, 'vault.create', { passphrase, path: place.vault });
      if (s.state !== 'unlocked') throw new Error(`the vault is ${s.state}`);
      return `${s.state}: ${s.vaultPath}`;
    }],
    ['create a root CA', async () => {
      ca = await call<CaRecord>(contents, 'ca.create', { name: 'Self-test Root', subject: 'C=DE, O=CertDesk self-test, CN=CertDesk Self-Test Root', keyType: 'ec-p256', days: 30 });
      return ca.subject;
    }],
    ['issue a user certificate with a legacy PFX', async () => {
      handover = await call<Handover>(contents, 'issue.run', {
        mode: 'per-user', profile: 'user', ca: ca!.id, recipient: { name: 'Self Test', email: 'self.test@example.org' },
        sans: [{ type: 'email', value: 'self.test@example.org' }], days: 1, alias: 'self-test',
        delivery: { folder: place.exportDir, encryption: 'legacy' },
      });
      if (handover.bundle.encryption !== 'legacy') throw new Error(`the PFX is ${handover.bundle.encryption}`);
      return `${handover.bundle.encryption} PFX, ${handover.bundle.files.length} files in ${handover.bundle.folder}`;
    }],
    ['the PFX opens with the password shown', async () => {
      const pfx = readdirSync(handover!.bundle.folder).find((f) => f.endsWith('.pfx'));
      if (!pfx) throw new Error('no .pfx in the bundle');
      const opened = await parsePfx(readFileSync(join(handover!.bundle.folder, pfx)), handover!.password);
      const cert = new X509Certificate(opened.certificate);
      if (!cert.checkPrivateKey(createPrivateKey({ key: Buffer.from(opened.privateKeyPkcs8), format: 'der', type: 'pkcs8' }))) throw new Error('its key does not match its certificate');
      const hex = (v: string) => v.replace(/[^0-9a-f]/gi, '').replace(/^0+/, '').toLowerCase();
      if (hex(cert.serialNumber) !== hex(handover!.certificate.serial)) throw new Error(`it holds certificate ${cert.serialNumber}, not the one issued`);
      return `${pfx} opens; its key matches the certificate issued to ${cert.subject.replace(/\n/g, ', ')}`;
    }],
    // pkcs11js is a native addon like better-sqlite3: this step is where a user with the real Electron learns that
    // it loads in Electron's runtime (CA keys on tokens), before they need a token. No module is loaded.
    ['PKCS#11 support loads in this runtime', async () => {
      const lib = await pkcs11Lib();
      if (typeof new lib.PKCS11().load !== 'function') throw new Error('pkcs11js has no PKCS11.load');
      const modules = await call<TokenModule[]>(contents, 'token.modules', {});
      return `pkcs11js loaded in Node ${process.versions.node} (modules ABI ${process.versions.modules}); ${modules.length} known PKCS#11 module(s) on this machine`;
    }],
    ['lock the vault', async () => {
      const s = await call<SessionStatus>(contents, 'vault.lock', {});
      if (s.state !== 'locked') throw new Error(`the vault is ${s.state}`);
      return s.state;
    }],
  ];
  let n = 0;
  for (const [name, run] of steps) {
    n++;
    const started = Date.now();
    try {
      const said = await withTimeout(run(), STEP_TIMEOUT_MS);
      log(`ok   ${n} ${name}: ${said} (${Date.now() - started} ms)`);
    } catch (e) {
      log(`FAIL ${n} ${name}: ${(e as Error).message}`);
      return false;
    }
  }
  log(`self-test passed: ${steps.length} steps`);
  return true;
}
