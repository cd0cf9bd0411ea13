// A failed request in the reader's language: what failed, why, and what to do. The services'
// own `message` is English and for logs; people see words from the catalogue, chosen by the
// error's stable code (contracts/api.ts ApiError.error) or, failing that, its HTTP status.
import { isApiError } from './api.ts';
import { t } from './i18n/locale.ts';

export type ErrorCode =
  | 'network'
  | 'unauthenticated'
  | 'invalid-credentials'
  | 'not-allowed'
  | 'door-offline'
  | 'unknown-door'
  | 'rate-limited'
  | 'shutting-down'
  | 'forbidden'
  | 'enrolment-open'
  | 'revoked'
  | 'server'
  | 'other';

/** Codes the services (or api.ts, for `network`) send that have words of their own. */
const KNOWN = new Set<string>(['network', 'invalid-credentials', 'not-allowed', 'door-offline', 'unknown-door', 'rate-limited', 'shutting-down', 'forbidden', 'enrolment-open', 'revoked'] satisfies ErrorCode[]);

export function errorCode(err: unknown): ErrorCode {
  if (!isApiError(err)) return 'other';
  if (KNOWN.has(err.code)) return err.code as ErrorCode;
  if (err.status === 401) return 'unauthenticated';
  if (err.status === 403) return 'not-allowed';
  if (err.status === 429) return 'rate-limited';
  if (err.status >= 500) return 'server';
  return 'other';
}

export type FailedAction = { kind: 'unlock'; door: string } | { kind: 'login' | 'load' | 'visits' | 'export' | 'presence' | 'members' | 'credentials' | 'enrol' | 'cancelEnrol' | 'revoke' | 'audit' | 'reports' | 'charts' };

export function errorText(err: unknown, action: FailedAction): string {
  const m = t().errors;
  const what = action.kind === 'unlock' ? m.unlock(action.door) : m[action.kind];
  return m.join(what, m.reason[errorCode(err)]);
}
