// Usage errors (exit 2) and the help text.
import { DEFAULT_CA_KEY, DEFAULT_CA_KEY_REASON } from '../../shared/domain.js';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const HELP = `certdesk: an offline certificate authority

Usage:
  certdesk init
  certdesk ca create --name NAME --subject DN [--key KEY] [--days N] [--issuer CA] [--path-length N] [--crl-url URL] [--crl-days N]
                    [--pkcs11-module PATH --pkcs11-token LABEL [--pkcs11-key-label LABEL]]
                                                      (with --pkcs11-*: the key is generated on the token and never leaves it;
                                                      the token's PIN from $CERTDESK_PKCS11_PIN or a prompt, also for every signature)
  certdesk ca import --name NAME (--pfx FILE [--pfx-password-file FILE] | --cert FILE --key FILE [--key-password-file FILE]
                    | --cert FILE --pkcs11-module PATH --pkcs11-token LABEL --pkcs11-key-label LABEL)
  certdesk token list --pkcs11-module PATH            (the module's tokens and the keys and certificates visible without a PIN)
  certdesk ca list
  certdesk ca cert CA --out FILE [--chain] [--der]
  certdesk ca show CA                                  (details and extensions; --json for all fields)
  certdesk ca export CA --format pem|der|p7b --out FILE (the CA certificate; p7b: with its chain)
  certdesk ca export CA --format pfx --out FILE [--password-file FILE] [--pfx modern|legacy]
                                                      (the CA WITH ITS PRIVATE KEY: password from the file, $CERTDESK_PFX_PASSWORD or a prompt)
  certdesk ca renew CA [--days N] [--new-key [--name NAME] [--crl-url URL] [--key KEY]]
  certdesk ca revoke CA [--reason REASON]              (an intermediate: its parent's CRL lists it; it issues nothing more)
  certdesk ca set CA [--crl-url URL] [--crl-days N]    (for certificates issued from now on; --crl-url '' removes it)
  certdesk issue --ca CA --profile PROFILE --name CN [--email ADDR]... [--upn UPN] [--dns NAME]... [--ip ADDR]...
                 [--uri URI]... [--device ID] [--sid SID] [--account NAME] [--realm REALM] [--key KEY] [--days N] [--alias TEXT] [--phone TEXT] [--description TEXT] [--override REASON]
                 [--out FILE | --out DIR [--pfx modern|legacy] [--password-file FILE] [--slip FILE] [--letter FILE]]
  certdesk export CERT --out DIR [--pfx modern|legacy] [--password-file FILE] [--slip FILE] [--letter FILE]
  certdesk issue-batch --ca CA --profile PROFILE --csv FILE --out DIR --passwords FILE [--key KEY] [--pfx modern|legacy] [--dry-run] [--workers N]
  certdesk ad-mapping (CERT... | --ca CA | --batch ID) [--account NAME] [--format text|powershell|json] [--out FILE]
  certdesk sign-csr --ca CA --profile PROFILE --csr FILE [--days N] [--alias TEXT] [--override REASON] --out FILE
  certdesk list [--ca CA] [--status valid|revoked|expired] [--profile PROFILE] [--expiring-within DAYS] [--search TEXT] [--include-cas] [--limit N]
  certdesk show CERT
  certdesk revoke CERT... [--reason REASON]
  certdesk delete CERT...
  certdesk renew (CERT... | --due [--ca CA]) [--out DIR --passwords FILE] [--pfx modern|legacy] [--same-key] [--days N] [--revoke-old]
                 [--override REASON]
  certdesk crl CA --out FILE [--days N] [--der]
  certdesk crl publish --out DIR
  certdesk pending                                    (work an interrupted run committed but did not deliver)
  certdesk pending resume [ID]...                     (finish it; a bundle gets a new password)
  certdesk pending abandon ID... [--reason TEXT]
  certdesk report expiry [--within DAYS] [--ca CA] --out FILE   (FILE.csv: expiry report; FILE.ics: calendar)
  certdesk audit verify
  certdesk vault verify
  certdesk backup --out FILE                          (encrypted with the vault passphrase; verified after writing; never replaces a file)
  certdesk backup --out FILE --shares N --threshold K --holders NAME,NAME,... --shares-out DIR [--holder-passphrase-file FILE]
                                                      (also K of N backup shares restore it without the vault passphrase: a share file
                                                      and a printable sheet per holder, each sealed with that holder's own passphrase)
  certdesk backup verify FILE [--share FILE...]       (checks it completely without restoring: MAC, passphrase or K shares, the vault inside)
  certdesk backup status [--remind-days N]            (last verified backup; a reminder after N days, default 7, or a newer certificate)
  certdesk restore FILE --vault NEW                   (into a new vault file, never over an existing one)
  certdesk restore FILE --vault NEW --share FILE... [--new-passphrase-file FILE]
                                                      (with K backup shares instead of the vault passphrase; the new vault gets a new
                                                      passphrase: from the file, $CERTDESK_NEW_PASSPHRASE, or asked twice)
  certdesk quorum set CA --shares N --threshold K --holders NAME,NAME,... --out DIR [--holder-passphrase-file FILE]
                                                      (K-of-N control of the CA's key: 2 <= K <= N <= 16; a share file and a printable
                                                      sheet per holder, each sealed with that holder's own passphrase, asked twice)
  certdesk quorum reissue CA --share FILE... --shares N --threshold K --holders NAME,... --out DIR
                                                      (K officers' shares make a new split; the old shares stop working)
  certdesk quorum show CA                              (K, N, the holders, the split)
  certdesk audit list [--limit N] [--action PREFIX]
  certdesk letter template [--set FILE | --reset]
  certdesk recipient list [--search TEXT] [--limit N]
  certdesk recipient show ID                           (its fields, its certificates; a SID only its newest certificate carries: "from certificate")
  certdesk recipient set ID [--sid SID | --sid-from-certificate] [--account NAME] [--email ADDR] [--phone TEXT] [--description TEXT]
                                                      (an option given as '' clears the field: --sid '')
  certdesk profile list
  certdesk profile targets PROFILE [--set TARGET,...]   (what preflight checks; --set '' for none)
  certdesk passphrase change [--new-passphrase-file FILE]
  certdesk unhold CERT                                 (release a certificateHold revocation; the next CRL no longer lists it)

Options for every command:
  --vault FILE            the vault (else $CERTDESK_VAULT, else the desktop app's vault)
  --passphrase-file FILE  read the vault passphrase from the file's first line (else $CERTDESK_PASSPHRASE, else a prompt)
  --json                  print one JSON object on stdout
  --share FILE            a share of a CA under K-of-N control (repeat: K shares) for a command that signs with it
  --share-passphrase-file FILE  that share's passphrase from the file's first line (repeat, in the order of --share; else a prompt)
  -h, --help              this text

--pfx modern (AES-256, the default): Windows 10 1709+, macOS 15+, Android 14+, Firefox, OpenSSL 3, current Java.
--pfx legacy (3DES/SHA-1): iPhone/iPad and macOS Keychain up to macOS 14, Android 13 and older, older Windows and Java, appliances.
--devices ID,ID (issue, export, renew, issue-batch; delivery chosen by the device): what will install the bundle. The PFX form
follows from it (legacy when any device needs it; --pfx, if also given, must agree) and is remembered: renew and export
without --devices or --pfx use the certificate's last delivery. IDs: apple-old (iPhone/iPad up to iOS 17, Mac up to
macOS 14), apple (iOS 18+, macOS 15+), android-old (13 and older), android (14+), windows (10 1709+, 11, Server 2019+),
windows-old (older Windows, Server 2016), java (17+, 11.0.12+, 8u301+), java-old, appliance, unknown (several or unknown).
KEY is ec-p256, ec-p384, rsa-2048, rsa-3072 or rsa-4096. PROFILE is user, device, server, mail, vpn or kdc.
SID is a Windows SID (S-1-5-21-...-RID): user and device certificates carry it (KB5014754).
--account NAME: the holder's Active Directory account (sAMAccountName, at most 20 characters; a computer's ends in $),
stored with the recipient like --sid; ad-mapping's PowerShell script names it when no --account is given there. REALM: the kdc profile's
Kerberos realm (krbtgt/REALM@REALM; default: the --dns name without its first label, upper case).
CA is a CA's id or name. CERT is a certificate's id, hex serial or SHA-256 thumbprint; "id:N", "serial:HEX" and "sha256:HEX" say which
(serial:00 is the certificate with serial 0, where a plain "00" could be read as an id).
DN is an RFC 4514 name, most specific first: "CN=Example Root CA,O=Example,C=DE".
--override REASON: issue, sign or renew despite preflight errors (the checks of the profile's targets, README "Preflight");
the reason and the overridden errors are recorded in the audit entry. Warnings are printed and never stop anything.
REASON (revoke) is an RFC 5280 reason: unspecified, keyCompromise, caCompromise, affiliationChanged, superseded,
cessationOfOperation, certificateHold, privilegeWithdrawn, aaCompromise; caCompromise and aaCompromise only for a CA's
certificate (an end entity's compromised key is keyCompromise).
Revocation is permanent, except certificateHold ("on hold"), which certdesk unhold CERT releases.
ca renew: same key (default) gives the CA a new certificate for the same name and key (a root signs it, an intermediate's
parent does); what it signed before still verifies. --new-key makes a new CA with the same subject, a new key and its own name
(default "NAME YEAR") and CRL URL; the old CA is retired: it issues nothing more and keeps signing CRLs for what it issued.
An intermediate whose parent is retired is renewed by the parent's successor.
ca create without --key makes an ${DEFAULT_CA_KEY} key (${DEFAULT_CA_KEY_REASON}).
REASON (ca revoke) fits a CA: unspecified, caCompromise, affiliationChanged, superseded, cessationOfOperation, privilegeWithdrawn.
A root cannot be revoked (no CRL above it); remove it from the trust stores instead.
Exit status: 0 success, 1 error, 2 usage error.
`;
