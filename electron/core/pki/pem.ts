// PEM armour (RFC 7468) for certificates, CRLs and keys.

export function toPem(der: Uint8Array, label = 'CERTIFICATE'): string {
  const b64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

export interface PemBlock {
  label: string;
  der: Uint8Array;
}

/** Every PEM block in the text, in order. Text outside blocks (OpenSSL's "Bag Attributes") is ignored. */
export function pemBlocks(text: string): PemBlock[] {
  const out: PemBlock[] = [];
  const re = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const body = m[2]!.replace(/^[A-Za-z-]+:.*$/gm, '').replace(/\s+/g, '');
    out.push({ label: m[1]!, der: new Uint8Array(Buffer.from(body, 'base64')) });
  }
  return out;
}

/** True when the bytes look like PEM text rather than DER. */
export function isPem(data: Uint8Array): boolean {
  return Buffer.from(data.subarray(0, 4096)).toString('latin1').includes('-----BEGIN ');
}
