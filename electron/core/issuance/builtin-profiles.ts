// The issuance profiles a new vault starts with. They are copied into the vault at creation,
// where the officer may edit their rules; these constants are only the starting point.
import type { Profile } from '../../../shared/domain.js';
import { DEFAULT_PASSWORD_RULE } from '../export/passwords.js';

const common = {
  validityDays: 365,
  renewBeforeDays: 30,
  autoRenew: false,
  keepKey: true,
  pfxEncryption: 'modern',
  passwordRule: DEFAULT_PASSWORD_RULE,
} as const;

export const BUILTIN_PROFILES: readonly Profile[] = [
  {
    id: 'user',
    name: 'User',
    description: 'A person: client authentication (VPN, Wi-Fi, web, ActiveSync) and S/MIME e-mail protection.',
    defaultKey: 'rsa-2048',
    ...common,
    keyUsage: ['digitalSignature', 'keyEncipherment'],
    extendedKeyUsage: ['clientAuth', 'emailProtection'],
    sanAllowed: ['email', 'upn'],
    sanRequireOneOf: ['email', 'upn'],
  },
  {
    id: 'device',
    name: 'Device',
    description: 'A phone, tablet or computer: client authentication for MDM, Wi-Fi (EAP-TLS) and VPN.',
    defaultKey: 'rsa-2048',
    ...common,
    keyUsage: ['digitalSignature', 'keyEncipherment'],
    extendedKeyUsage: ['clientAuth'],
    sanAllowed: ['dns', 'device', 'ip', 'uri'],
    sanRequireOneOf: ['dns', 'device'],
  },
  {
    id: 'server',
    name: 'Server',
    description: 'A TLS server (web, mail gateway, RADIUS): server authentication for its DNS names or IP addresses.',
    defaultKey: 'ec-p256',
    ...common,
    keyUsage: ['digitalSignature', 'keyEncipherment'],
    extendedKeyUsage: ['serverAuth'],
    sanAllowed: ['dns', 'ip'],
    sanRequireOneOf: ['dns', 'ip'],
  },
  {
    id: 'mail',
    name: 'Mail (S/MIME)',
    description: 'Signing and encrypting e-mail for one or more addresses.',
    defaultKey: 'rsa-2048',
    ...common,
    keyUsage: ['digitalSignature', 'nonRepudiation', 'keyEncipherment'],
    extendedKeyUsage: ['emailProtection'],
    sanAllowed: ['email'],
    sanRequireOneOf: ['email'],
  },
  {
    id: 'vpn',
    name: 'VPN client',
    description: 'Client authentication to a VPN gateway (IKEv2, OpenVPN, SSL VPN).',
    defaultKey: 'rsa-2048',
    ...common,
    keyUsage: ['digitalSignature', 'keyEncipherment'],
    extendedKeyUsage: ['clientAuth'],
    sanAllowed: ['email', 'upn', 'dns'],
    sanRequireOneOf: [],
  },
];
