// Expected preflight findings several tests assert exactly.
import type { PreflightFinding } from '../../shared/domain.js';
import { SOURCES } from '../../electron/core/preflight/sources.js';

/** What a 1,095-day server certificate gets from the apple-tls target (the lifetime counts the 5-minute back-dating). */
export const APPLE_1095: PreflightFinding = {
  target: 'apple-tls',
  field: 'days',
  severity: 'error',
  message:
    'the certificate would be valid 1095 days 5 minutes (notAfter - notBefore, the clock-skew back-dating included); Apple devices and Safari accept TLS server certificates valid at most 825 days: choose at most 824 days',
  source: SOURCES.appleTls,
};
