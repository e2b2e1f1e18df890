// A throw-away Samba AD DC for PKINIT interoperability tests (issue 12, KB5014754 strong certificate mapping).
// It is provisioned in a temporary folder (samba-tool domain provision --targetdir, DNS backend NONE), runs as
// `samba -i -M single` with only the KDC service, and lives in its own network namespace (unshare -n, loopback
// only) so port 88 never clashes with anything on the machine; kinit reaches it through nsenter. Without root
// or unshare it falls back to 127.0.0.1 in the machine's own namespace. Stopped by its pid.
// Samba's Heimdal KDC reads its PKINIT settings ([kdc] enable-pkinit, pkinit_identity, pkinit_anchors,
// pkinit_revoke) from a krb5.conf in the same folder as its smb.conf. See SAMBA-NOTES.md for the why of each.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasTool, run, runOk } from './tools.js';

export type BindingEnforcement = 'none' | 'compatibility' | 'full';

export interface SambaDcOptions {
  /** Folder the DC lives in (created if missing); the caller removes it. */
  dir: string;
  /** Kerberos realm, upper case; the DNS domain is its lower case. Default CERTDESK.TEST. */
  realm?: string;
  /** NetBIOS domain name. Default CERTDESK. */
  domain?: string;
  /** Host name of the DC (its FQDN is host.dnsdomain). Default dc1. */
  hostName?: string;
  /** KDC certificate (PEM, leaf first, may carry the chain) and its key (PEM). */
  kdcCertFile: string;
  kdcKeyFile: string;
  /** CA certificates (PEM) the KDC accepts client certificates from. */
  anchorsFile: string;
  /** CRL (DER or PEM) the KDC checks client certificates against; Heimdal's pkinit_revoke. */
  crlFile?: string;
  /** smb.conf "strong certificate binding enforcement" (Samba >= 4.24 only). Default full. */
  enforcement?: BindingEnforcement;
  /** Run in a network namespace (default: when root and unshare/nsenter exist). */
  netns?: boolean;
  /** A Debian root (chroot) holding a newer Samba (see make-samba-root.sh); `dir` must lie inside it. */
  root?: string;
}

export interface SambaDc {
  realm: string;
  dnsDomain: string;
  /** FQDN of the DC, for the KDC certificate's dNSName. */
  dcName: string;
  domainSid: string;
  dir: string;
  smbConf: string;
  /** krb5.conf the KDC reads ([kdc] PKINIT settings). */
  kdcKrb5Conf: string;
  /** krb5.conf for MIT kinit (kdc = 127.0.0.1). */
  clientKrb5Conf: string;
  /** File the DC's debug output goes to. */
  logFile: string;
  pid: number;
  netns: boolean;
  /** True when this Samba knows "strong certificate binding enforcement" (KB5014754 in the KDC). */
  strongBinding: boolean;
  version: string;
  timings: { provisionMs: number; startMs: number };
  /** Creates a user (samba-tool user create) and returns its objectSid. */
  addUser(name: string, password?: string): string;
  /** Replaces the user's altSecurityIdentities (empty list removes it). */
  setAltSecurityIdentities(name: string, values: string[]): void;
  /** Restarts the DC (e.g. after changing its krb5.conf). */
  restart(): Promise<void>;
  stop(): void;
}

export interface KinitResult {
  granted: boolean;
  status: number;
  /** kinit's own output (stdout + stderr). */
  output: string;
  /** The KDC's log lines for this request (PKINIT / AS-REQ lines), the reason for a refusal. */
  kdcLog: string;
}

/** The chroot with Samba >= 4.24 named by CERTDESK_SAMBA_ROOT (made by test/helpers/make-samba-root.sh), if usable. */
export function sambaRootFromEnv(): string | undefined {
  const root = process.env.CERTDESK_SAMBA_ROOT || DEFAULT_SAMBA_ROOT;
  return existsSync(join(root, 'usr/sbin/samba')) && process.getuid?.() === 0 ? root : undefined;
}

export const DEFAULT_SAMBA_ROOT = '/var/tmp/certdesk-samba-root';

/** The command line for a Samba tool, inside the chroot when there is one. */
function inRoot(root: string | undefined, cmd: string, args: string[]): [string, string[]] {
  return root ? ['chroot', [root, cmd, ...args]] : [cmd, args];
}

/** Samba version string (samba -V), or '' when not installed. */
export function sambaVersion(root?: string): string {
  if (!root && !hasTool('samba')) return '';
  return run(...inRoot(root, 'samba', ['-V'])).stdout.trim();
}

/** Whether this Samba knows the KB5014754 smb.conf parameter (added upstream in Samba 4.24). */
export function sambaHasStrongCertificateBinding(root?: string): boolean {
  const r = run(...inRoot(root, 'testparm', ['-s', '--parameter-name=strong certificate binding enforcement', '/dev/null']));
  return r.status === 0 && !/unknown/i.test(r.stdout + r.stderr);
}

/** The Python that samba-tool runs under (its shebang): the one with Samba's bindings, not a pyenv shim. */
function sambaPython(root?: string): string {
  if (root) return '/usr/bin/python3';
  const tool = run('sh', ['-c', 'command -v samba-tool']).stdout.trim();
  const m = tool ? /^#!\s*(\S+)/.exec(readFileSync(tool, 'utf8').slice(0, 200)) : null;
  return m?.[1] ?? '/usr/bin/python3';
}

function useNetns(opt?: boolean): boolean {
  if (opt !== undefined) return opt;
  return process.getuid?.() === 0 && hasTool('unshare') && hasTool('nsenter') && hasTool('ip');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** True when some socket of the process's network namespace listens on UDP port 88 at 127.0.0.1. */
function kdcListening(pid: number): boolean {
  try {
    const udp = readFileSync(`/proc/${pid}/net/udp`, 'utf8');
    return /^\s*\d+: 0100007F:0058 /m.test(udp);
  } catch {
    return false;
  }
}

/** True while the process runs; a zombie (exited, not yet reaped by Node while stop() blocks) counts as gone. */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // /proc/PID/stat: "pid (comm) S ...": the state follows the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc: trust kill(0)
  }
}

export async function startSambaDc(o: SambaDcOptions): Promise<SambaDc> {
  const realm = (o.realm ?? 'CERTDESK.TEST').toUpperCase();
  const dnsDomain = realm.toLowerCase();
  const domain = o.domain ?? 'CERTDESK';
  const hostName = o.hostName ?? 'dc1';
  const dir = o.dir;
  const root = o.root;
  const netns = useNetns(o.netns);
  if (root && !dir.startsWith(root + '/')) throw new Error(`${dir} is not inside the Samba root ${root}`);
  /** A host path as the Samba processes see it (inside the chroot). */
  const inner = (p: string) => (root ? p.slice(root.length) : p);
  const sambaRun = (cmd: string, args: string[]) => runOk(...inRoot(root, cmd, args));
  const target = join(dir, 'dc');
  mkdirSync(target, { recursive: true });
  const runDir = join(target, 'run');
  mkdirSync(runDir, { recursive: true });
  const strongBinding = sambaHasStrongCertificateBinding(root);

  const t0 = Date.now();
  const opts = [
    'interfaces=lo',
    'bind interfaces only=yes',
    // Only the KDC: no smbd, LDAP, DNS, RPC; nothing else listens and start-up is quick.
    'server services=kdc',
    `log file=${inner(join(target, 'log.%m'))}`,
    'log level=3',
    `pid directory=${inner(runDir)}`,
    `winbindd socket directory=${inner(join(runDir, 'winbindd'))}`,
    `ntp signd socket directory=${inner(join(runDir, 'ntp_signd'))}`,
    ...(strongBinding ? [`strong certificate binding enforcement=${o.enforcement ?? 'full'}`] : []),
  ];
  const prov = sambaRun('samba-tool', [
    'domain', 'provision',
    `--targetdir=${inner(target)}`,
    `--realm=${realm}`,
    `--domain=${domain}`,
    '--server-role=dc',
    '--dns-backend=NONE',
    `--host-name=${hostName}`,
    '--host-ip=127.0.0.1',
    '--adminpass=CertDesk.Admin.Pass1',
    ...opts.map((x) => `--option=${x}`),
  ]);
  const provisionMs = Date.now() - t0;
  const sid = /DOMAIN SID:\s+(S-1-5-21-[\d-]+)/.exec(prov.stdout + prov.stderr)?.[1];
  if (!sid) throw new Error(`provision printed no domain SID\n${prov.stdout}\n${prov.stderr}`);

  const smbConf = join(target, 'etc', 'smb.conf');
  const kdcKrb5Conf = join(target, 'etc', 'krb5.conf'); // lpcfg_config_path(): next to smb.conf
  const kdcLines = [
    '[libdefaults]',
    `\tdefault_realm = ${realm}`,
    '\tdns_lookup_kdc = false',
    '\tdns_lookup_realm = false',
    '[kdc]',
    '\tenable-pkinit = yes',
    `\tpkinit_identity = FILE:${inner(o.kdcCertFile)},${inner(o.kdcKeyFile)}`,
    `\tpkinit_anchors = FILE:${inner(o.anchorsFile)}`,
    ...(o.crlFile ? [`\tpkinit_revoke = FILE:${inner(o.crlFile)}`] : []),
    // The client certificate must carry a UPN/KRB5PrincipalName SAN or be mapped in the directory.
    '\tpkinit_principal_in_certificate = yes',
    '',
  ];
  writeFileSync(kdcKrb5Conf, kdcLines.join('\n'));
  const clientKrb5Conf = join(dir, 'client-krb5.conf');
  writeFileSync(
    clientKrb5Conf,
    [
      '[libdefaults]',
      `\tdefault_realm = ${realm}`,
      '\tdns_lookup_kdc = false',
      '\tdns_lookup_realm = false',
      '\trdns = false',
      '\tudp_preference_limit = 1', // TCP: PKINIT replies are large
      '[realms]',
      `\t${realm} = {`,
      '\t\tkdc = 127.0.0.1:88',
      `\t\tpkinit_anchors = FILE:${o.anchorsFile}`,
      '\t}',
      '',
    ].join('\n'),
  );

  const logFile = join(target, 'samba.out');
  let pid = 0;
  let startMs = 0;

  async function start(): Promise<void> {
    const t1 = Date.now();
    const out = openSync(logFile, 'a');
    const samba = `exec ${root ? `chroot '${root}' ` : ''}samba -i -M single --debug-stdout -s '${inner(smbConf)}'`;
    const child = netns
      ? spawn('unshare', ['-n', '--', 'sh', '-c', `ip link set lo up && ${samba}`], { stdio: ['ignore', out, out], detached: true })
      : spawn('sh', ['-c', samba], { stdio: ['ignore', out, out], detached: true });
    closeSync(out);
    child.unref();
    if (!child.pid) throw new Error('samba did not start');
    pid = child.pid; // unshare and sh exec: the pid is samba's root process
    for (let i = 0; i < 300; i++) {
      if (kdcListening(pid)) break;
      if (!processAlive(pid)) throw new Error(`samba exited during start-up:\n${readFileSync(logFile, 'utf8').slice(-3000)}`);
      await sleep(100);
    }
    if (!kdcListening(pid)) {
      stop(); // the caller has no SambaDc to stop yet: never leave this process behind
      throw new Error(`the KDC did not listen on 127.0.0.1:88 within 30 s:\n${readFileSync(logFile, 'utf8').slice(-3000)}`);
    }
    startMs = Date.now() - t1;
  }

  function stop(): void {
    if (pid && processAlive(pid)) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        /* gone */
      }
      for (let i = 0; i < 50 && processAlive(pid); i++) spawnSync('sleep', ['0.1']);
      if (processAlive(pid)) process.kill(pid, 'SIGKILL');
    }
    pid = 0;
  }

  await start();

  const dc: SambaDc = {
    realm,
    dnsDomain,
    dcName: `${hostName}.${dnsDomain}`,
    domainSid: sid,
    dir,
    smbConf,
    kdcKrb5Conf,
    clientKrb5Conf,
    logFile,
    get pid() {
      return pid;
    },
    netns,
    strongBinding,
    version: sambaVersion(root),
    timings: { provisionMs, startMs },
    addUser(name, password = 'CertDesk.User.Pass1') {
      sambaRun('samba-tool', ['user', 'create', name, password, '-s', inner(smbConf)]);
      const show = sambaRun('samba-tool', ['user', 'show', name, '--attributes=objectSid', '-s', inner(smbConf)]);
      const m = /objectSid:\s*(S-[\d-]+)/.exec(show.stdout);
      if (!m) throw new Error(`no objectSid for ${name}: ${show.stdout}`);
      return m[1]!;
    },
    setAltSecurityIdentities(name, values) {
      // samba-tool has no verb for this attribute; a short script with Samba's own Python bindings edits
      // sam.ldb directly (ldb-tools' ldbmodify would do the same but is one more package).
      const py = [
        'import sys, json, ldb',
        'from samba.samdb import SamDB',
        'from samba.param import LoadParm',
        'from samba.auth import system_session',
        'conf, user, values = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])',
        'lp = LoadParm(); lp.load(conf)',
        "db = SamDB(url=lp.private_path('sam.ldb'), session_info=system_session(), lp=lp)",
        "res = db.search(base=db.domain_dn(), scope=ldb.SCOPE_SUBTREE, expression='(sAMAccountName=%s)' % ldb.binary_encode(user), attrs=['dn'])",
        "assert len(res) == 1, 'user not found: ' + user",
        'm = ldb.Message(); m.dn = res[0].dn',
        "m['altSecurityIdentities'] = ldb.MessageElement([v.encode() for v in values], ldb.FLAG_MOD_REPLACE, 'altSecurityIdentities')",
        'db.modify(m)',
      ].join('\n');
      sambaRun(sambaPython(root), ['-c', py, inner(smbConf), name, JSON.stringify(values)]);
    },
    async restart() {
      stop();
      await start();
      dc.timings.startMs = startMs;
    },
    stop,
  };
  return dc;
}

/** kinit with PKINIT (MIT krb5-pkinit) against the DC; granted when a TGT was issued. */
export function kinitPkinit(
  dc: SambaDc,
  o: { principal: string; certFile: string; keyFile: string; anchorsFile?: string; ccache: string },
): KinitResult {
  const before = existsSync(dc.logFile) ? statSync(dc.logFile).size : 0;
  const args = [
    '-X', `X509_user_identity=FILE:${o.certFile},${o.keyFile}`,
    ...(o.anchorsFile ? ['-X', `X509_anchors=FILE:${o.anchorsFile}`] : []),
    o.principal.includes('@') ? o.principal : `${o.principal}@${dc.realm}`,
  ];
  const env = { ...process.env, KRB5_CONFIG: dc.clientKrb5Conf, KRB5CCNAME: `FILE:${o.ccache}` };
  const r = dc.netns
    ? run('nsenter', ['-t', String(dc.pid), '-n', 'kinit', ...args], { env, input: '', timeout: 30_000 })
    : run('kinit', args, { env, input: '', timeout: 30_000 });
  // The KDC logs the request synchronously before it answers; a short read is enough.
  const log = readFileSync(dc.logFile);
  const chunk = log.subarray(before).toString('utf8');
  const kdcLog = chunk
    .split('\n')
    .filter((l) => /PKINIT|PK-INIT|AS-REQ|revoked|mismatch|certificate|mapping|binding/i.test(l) && !l.startsWith('{'))
    .join('\n');
  return { granted: r.status === 0, status: r.status, output: (r.stdout + r.stderr).trim(), kdcLog };
}
