// A real nginx for client-certificate tests: started on 127.0.0.1 on a free port with a configuration
// written to the test's temporary folder, stopped by its pid when the test ends.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import type { TestContext } from 'node:test';

export interface NginxOptions {
  /** Server certificate chain (PEM: leaf first) and key (PEM). */
  certFile: string;
  keyFile: string;
  /** CA certificates clients must chain to (PEM). */
  clientCaFile: string;
  /** Optional CRL file (PEM, every CA of the chain). */
  crlFile?: string;
}

export interface RunningNginx {
  port: number;
  pid: number;
  url: string;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port }, () => {
      s.end();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

/**
 * Linux: whether process `pid` holds a TCP socket listening on 127.0.0.1:`port`, from /proc/net/tcp (state 0A,
 * LISTEN) and the socket inodes among /proc/PID/fd. False while the process has not bound it, or has gone.
 */
function listensOn(pid: number, port: number): boolean {
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const inodes = readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => f[1] === local && f[3] === '0A')
    .map((f) => `socket:[${f[9]}]`);
  if (inodes.length === 0) return false;
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return inodes.includes(readlinkSync(`/proc/${pid}/fd/${fd}`));
      } catch {
        return false; // closed meanwhile
      }
    });
  } catch {
    return false; // the process has exited
  }
}

/** Tries this many ports: test files run in parallel, so a port found free may be taken before nginx binds it. */
const PORT_ATTEMPTS = 5;
/** How long nginx may take to accept connections: a hang guard for a loaded machine, not a timing check. */
const START_WAIT_MS = 30_000;

/**
 * Starts nginx on 127.0.0.1 on a free port with a TLS server requiring client certificates (opts), its files
 * under `dir`/nginx (a retry under nginx-2, nginx-3, ...); stopped when the test ends. When nginx cannot bind the port ("Address already in use":
 * another test took it after freePort() released it) it retries on a new port, up to PORT_ATTEMPTS times.
 * Throws with nginx's error log when it exits or does not accept connections within START_WAIT_MS.
 */
export async function startNginx(t: TestContext, dir: string, opts: NginxOptions): Promise<RunningNginx> {
  for (let attempt = 1; ; attempt++) {
    const started = await startNginxOnce(t, join(dir, attempt === 1 ? 'nginx' : `nginx-${attempt}`), opts);
    if ('port' in started) return started;
    if (!started.portTaken || attempt === PORT_ATTEMPTS) throw new Error(started.error);
  }
}

/**
 * One attempt of startNginx on `port` (a free one by default), with its files under `root`. Returns the running
 * nginx, or why it did not start: its error log, and whether that was the port being taken already.
 */
export async function startNginxOnce(t: TestContext, root: string, opts: NginxOptions, port?: number): Promise<RunningNginx | { error: string; portTaken: boolean }> {
  port ??= await freePort();
  mkdirSync(join(root, 'tmp'), { recursive: true });
  const errorLog = join(root, 'error.log');
  // As root, nginx would switch workers to "nobody", who cannot read the test's private temporary folder.
  const user = process.getuid?.() === 0 ? 'user root;' : '';
  const conf = `${user}
daemon off;
master_process off;
worker_processes 1;
pid ${join(root, 'nginx.pid')};
error_log ${errorLog} info;
events { worker_connections 32; }
http {
  access_log off;
  client_body_temp_path ${join(root, 'tmp')};
  proxy_temp_path ${join(root, 'tmp')};
  fastcgi_temp_path ${join(root, 'tmp')};
  uwsgi_temp_path ${join(root, 'tmp')};
  scgi_temp_path ${join(root, 'tmp')};
  server {
    listen 127.0.0.1:${port} ssl;
    ssl_certificate ${opts.certFile};
    ssl_certificate_key ${opts.keyFile};
    ssl_client_certificate ${opts.clientCaFile};
    ssl_verify_client on;
    ssl_verify_depth 4;
    ${opts.crlFile ? `ssl_crl ${opts.crlFile};` : ''}
    location / { default_type text/plain; return 200 "hello $ssl_client_s_dn\\n"; }
  }
}
`;
  const confFile = join(root, 'nginx.conf');
  writeFileSync(confFile, conf);
  const child: ChildProcess = spawn('nginx', ['-p', root, '-e', errorLog, '-c', confFile], { stdio: 'ignore' });
  let exited = false;
  child.on('exit', () => (exited = true));
  t.after(async () => {
    if (!exited && child.pid) {
      process.kill(child.pid, 'SIGTERM');
      await new Promise<void>((resolve) => (exited ? resolve() : child.once('exit', () => resolve())));
    }
  });
  const deadline = Date.now() + START_WAIT_MS;
  while (!exited && Date.now() < deadline) {
    // On Linux, the listening socket must be nginx's own: a connection alone could reach another process that
    // holds the port while nginx is still failing to bind it.
    const ready = process.platform === 'linux' ? listensOn(child.pid!, port) : await canConnect(port);
    if (ready) return { port, pid: child.pid!, url: `https://127.0.0.1:${port}/` };
    await new Promise((r) => setTimeout(r, 50));
  }
  const log = existsSync(errorLog) ? readFileSync(errorLog, 'utf8') : '';
  return { error: `nginx did not start on 127.0.0.1:${port}\n${log}`, portTaken: exited && /Address already in use/.test(log) };
}
