// Main's refusals in the window's words. A refusal by a channel's schema arrives as
// "ca.update: crlDays: Too small: expected number to be >=1" (the channel and field names are for logs and
// scripts) with the rule in details.schema (electron/service/dispatch.ts); an engine refusal about one field
// starts with the field's request name ("crl-url: ..."). People see the field's label and the rule in words:
// "CRL validity (days): must be at least 1".

/** Request field names (the last part of a path) as the screens label them. */
const LABELS: Record<string, string> = {
  autoLockMinutes: 'Auto-lock (minutes)',
  crlDays: 'CRL validity (days)',
  crlUrl: 'CRL address (URL)',
  'crl-url': 'CRL address (URL)',
  days: 'Days',
  name: 'Name',
  subject: 'Subject',
  password: 'Password',
  passphrase: 'Passphrase',
  folder: 'Folder',
  file: 'File',
  out: 'File',
  email: 'E-mail',
  upn: 'User principal name (UPN)',
  sid: 'SID',
  account: 'Account',
  keyType: 'Key type',
  pathLength: 'Path length',
  reason: 'Reason',
  devices: 'Devices',
  sans: 'Names',
  alias: 'Alias',
  csv: 'CSV file',
  csr: 'Certificate request',
  pfx: 'PFX file',
  profile: 'Profile',
  ca: 'Issuing CA',
};

const ACRONYMS = new Set(['crl', 'url', 'pfx', 'ca', 'sid', 'upn', 'csr', 'csv', 'dn', 'ip', 'dns', 'kdc', 'vpn', 'iis']);

/**
 * The label of a request field path ("changes.email", "sans.1.value", "crl-url"): the LABELS entry of its last
 * named part, else that part in words ("renewBeforeDays" -> "Renew before days"; acronyms in capitals).
 */
export function fieldLabel(path: string): string {
  const parts = path.split('.').filter((p) => !/^\d+$/.test(p) && p !== 'value');
  const last = parts.at(-1) ?? path;
  const known = LABELS[last];
  if (known) return known;
  const words = last
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s_-]+/)
    .filter(Boolean)
    .map((w) => (ACRONYMS.has(w.toLowerCase()) ? w.toUpperCase() : w.toLowerCase()));
  const text = words.join(' ');
  return text ? text[0]!.toUpperCase() + text.slice(1) : 'The request';
}

/** A schema rule (details.schema) in words, after the field's label. */
function ruleText(rule: Record<string, unknown>): string {
  const n = (k: string) => (typeof rule[k] === 'number' ? (rule[k] as number) : undefined);
  const min = n('minimum');
  const max = n('maximum');
  const inclusive = rule.inclusive !== false;
  switch (rule.code) {
    case 'too_small':
      if (rule.origin === 'string') return min === 1 ? 'is required' : `needs at least ${min} characters`;
      if (rule.origin === 'array') return `needs at least ${min}`;
      return inclusive ? `must be at least ${min}` : `must be more than ${min}`;
    case 'too_big':
      if (rule.origin === 'string') return `may have at most ${max} characters`;
      if (rule.origin === 'array') return `may have at most ${max}`;
      return inclusive ? `must be at most ${max}` : `must be less than ${max}`;
    case 'invalid_type':
      return rule.expected === 'number' || rule.expected === 'int' ? 'must be a whole number' : 'is missing or not valid';
    case 'invalid_format':
      return rule.format === 'url' ? 'is not a valid address (URL)' : rule.format === 'email' ? 'is not a valid e-mail address' : 'is not in a valid format';
    case 'invalid_value':
      return Array.isArray(rule.values) ? `must be one of: ${(rule.values as unknown[]).join(', ')}` : 'is not one of the choices';
    case 'unrecognized_keys':
      return `has a field this form does not take${Array.isArray(rule.keys) ? `: ${(rule.keys as unknown[]).join(', ')}` : ''}`;
    default:
      return 'is not accepted';
  }
}

/**
 * What the window shows for a refusal from main (`message`, `details` as ErrorResult carries them): a schema
 * refusal as "<label>: <rule in words>"; a message that starts with its own field name ("crl-url: ...") with the
 * label instead; anything else as main wrote it.
 */
export function plainMessage(message: string, details: Record<string, unknown> | undefined): string {
  const field = typeof details?.field === 'string' ? details.field : undefined;
  const rule = details?.schema;
  if (field && rule && typeof rule === 'object') {
    const text = ruleText(rule as Record<string, unknown>);
    return field === 'request' ? `The request ${text}` : `${fieldLabel(field)}: ${text}`;
  }
  if (field && message.startsWith(`${field}: `)) return `${fieldLabel(field)}: ${message.slice(field.length + 2)}`;
  return message;
}
