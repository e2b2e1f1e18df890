// Loaded with `node --import` into a third-party tool that looks things up online (Electronegativity fetches
// translations and Electron's release list with got): every host name fails at once with EAI_FAIL, a permanent
// resolver failure that got does not retry, instead of ENOTFOUND, which it retries with backoff (about 9 s per run
// here, the machine being offline). The tool then takes its own offline path ("No connectivity?"), as it would
// with the network cable out. Never shipped; CertDesk itself opens no sockets.
import dns from 'node:dns';

type LookupCallback = (err: NodeJS.ErrnoException | null, address?: string, family?: number) => void;

Object.assign(dns, {
  lookup(hostname: string, options: unknown, callback?: LookupCallback): void {
    const done = (typeof options === 'function' ? options : callback) as LookupCallback;
    const err: NodeJS.ErrnoException = Object.assign(new Error(`getaddrinfo EAI_FAIL ${hostname} (offline test run)`), { code: 'EAI_FAIL', syscall: 'getaddrinfo' });
    process.nextTick(done, err);
  },
});
