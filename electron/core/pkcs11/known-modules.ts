// The PKCS#11 modules CertDesk offers without asking for a file: the ones installed at well-known paths.
// Main loads (dlopen) a module the window names only when it is one of these or a file the officer chose in
// main's open dialog (electron/service/handlers/tokens.ts).
import { existsSync, statSync } from 'node:fs';

/** Well-known module files: [path, name]. Debian/Ubuntu multiarch folders, Fedora, macOS Homebrew, Windows. */
function candidates(platform: NodeJS.Platform): [string, string][] {
  if (platform === 'win32') {
    const sys = `${process.env.SystemRoot ?? 'C:\\Windows'}\\System32`;
    return [
      [`${sys}\\opensc-pkcs11.dll`, 'OpenSC (smart cards, Nitrokey, YubiKey PIV)'],
      [`${sys}\\libykcs11.dll`, 'YubiKey (ykcs11)'],
      ['C:\\SoftHSM2\\lib\\softhsm2-x64.dll', 'SoftHSM2'],
      ['C:\\Program Files\\OpenSC Project\\OpenSC\\pkcs11\\opensc-pkcs11.dll', 'OpenSC (smart cards, Nitrokey, YubiKey PIV)'],
      ['C:\\Program Files\\Yubico\\Yubico PIV Tool\\bin\\libykcs11.dll', 'YubiKey (ykcs11)'],
    ];
  }
  if (platform === 'darwin') {
    return ['/opt/homebrew/lib', '/usr/local/lib'].flatMap((dir): [string, string][] => [
      [`${dir}/softhsm/libsofthsm2.so`, 'SoftHSM2'],
      [`${dir}/opensc-pkcs11.so`, 'OpenSC (smart cards, Nitrokey, YubiKey PIV)'],
      [`${dir}/libykcs11.dylib`, 'YubiKey (ykcs11)'],
      [`${dir}/p11-kit-proxy.dylib`, 'p11-kit proxy (every module p11-kit knows)'],
    ]);
  }
  const dirs = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib/arm-linux-gnueabihf', '/usr/lib64', '/usr/lib', '/usr/local/lib'];
  return [
    ['/usr/lib/softhsm/libsofthsm2.so', 'SoftHSM2'],
    ...dirs.flatMap((dir): [string, string][] => [
      [`${dir}/softhsm/libsofthsm2.so`, 'SoftHSM2'],
      [`${dir}/opensc-pkcs11.so`, 'OpenSC (smart cards, Nitrokey, YubiKey PIV)'],
      [`${dir}/pkcs11/opensc-pkcs11.so`, 'OpenSC (smart cards, Nitrokey, YubiKey PIV)'],
      [`${dir}/libykcs11.so`, 'YubiKey (ykcs11)'],
      [`${dir}/libykcs11.so.2`, 'YubiKey (ykcs11)'],
      [`${dir}/p11-kit-proxy.so`, 'p11-kit proxy (every module p11-kit knows)'],
    ]),
  ];
}

/**
 * The well-known PKCS#11 modules installed here (SoftHSM2, OpenSC's opensc-pkcs11, which also serves Nitrokey
 * and YubiKey PIV, Yubico's ykcs11, p11-kit-proxy): each existing file once, by its real path order above.
 * @param platform defaults to this process's platform
 */
export function knownModules(platform: NodeJS.Platform = process.platform): { path: string; name: string }[] {
  const seen = new Set<string>();
  const out: { path: string; name: string }[] = [];
  for (const [path, name] of candidates(platform)) {
    if (seen.has(path)) continue;
    seen.add(path);
    try {
      if (existsSync(path) && statSync(path).isFile()) out.push({ path, name });
    } catch {
      /* unreadable: not offered */
    }
  }
  return out;
}
