// A failed request in the reader's language: what failed, why, and what to do. The services'
// own `message` is English and for logs; people see words from the catalogue, chosen by the
// error's stable code (contracts/errors.ts) or, failing that, its HTTP status.
import { isApiErrorCode, type ApiErrorCode } from '../../contracts/errors.ts';
import { isApiError } from './api.ts';
import { t } from './words/locale.ts';

/** Codes of the dashboard's own: no connection, a server failure or anything else without a code. */
export type ClientErrorCode = 'network' | 'server' | 'other';

/** Every code with words of its own: the services' catalogue and ours (i18n `errors.reason`). */
export type ErrorCode = ApiErrorCode | ClientErrorCode;

export function errorCode(err: unknown): ErrorCode {
  if (!isApiError(err)) return 'other';
  if (isApiErrorCode(err.code) || err.code === 'network') return err.code;
  if (err.status === 401) return 'unauthenticated';
  if (err.status === 403) return 'not-allowed';
  if (err.status === 429) return 'rate-limited';
  if (err.status >= 500) return 'server';
  return 'other';
}

export type FailedAction =
  | { kind: 'unlock'; door: string }
  | {
      kind:
        | 'login'
        | 'load'
        | 'visits'
        | 'export'
        | 'presence'
        | 'members'
        | 'credentials'
        | 'enrol'
        | 'cancelEnrol'
        | 'confirmEnrol'
        | 'undoEnrol'
        | 'revoke'
        | 'addMember'
        | 'saveMember'
        | 'suspend'
        | 'reactivate'
        | 'password'
        | 'erase'
        | 'command'
        | 'myAccess'
        | 'myNetwork'
        | 'changePassword'
        | 'eraseMe'
        | 'pass'
        | 'plans'
        | 'savePlan'
        | 'deletePlan'
        | 'closures'
        | 'saveClosure'
        | 'deleteClosure'
        | 'audit'
        | 'reports'
        | 'occupancy'
        | 'siteWide'
        | 'charts'
        | 'bookings'
        | 'book'
        | 'cancelBooking'
        | 'guestPin'
        | 'calendar'
        | 'makeFeed'
        | 'revokeFeed';
    };

export function errorText(err: unknown, action: FailedAction): string {
  const m = t().errors;
  const what = action.kind === 'unlock' ? m.unlock(action.door) : m[action.kind];
  return m.join(what, m.reason[errorCode(err)]);
}

/** Codes that are about one field of a form, whatever form sent it. */
const FIELD_OF_CODE: Partial<Record<ApiErrorCode, string>> = {
  'email-taken': 'email',
  'pin-taken': 'pin',
  'unknown-plan': 'plan',
  'bad-window': 'windows',
};

/**
 * The form field a refused request is about, when the answer says: a schema check names it
 * (`body/email must match …`), some codes are about one field. `fields` are the form's own;
 * a bad date range points at the last of the dates the form has.
 */
export function errorField(err: unknown, fields: readonly string[]): string | null {
  if (!isApiError(err) || (err.status !== 400 && err.status !== 409)) return null;
  const named =
    /body\/(\w+)/.exec(err.message)?.[1] ??
    /must have required property '(\w+)'/.exec(err.message)?.[1] ??
    (isApiErrorCode(err.code) ? FIELD_OF_CODE[err.code] : undefined);
  if (named && fields.includes(named)) return named;
  if (err.code === 'bad-date') return ['to', 'validTo'].find((f) => fields.includes(f)) ?? null;
  return null;
}

/** Why it failed and what to do, as a sentence of its own (next to the field it is about). */
export function errorReason(err: unknown): string {
  const why = t().errors.reason[errorCode(err)];
  return why.charAt(0).toUpperCase() + why.slice(1);
}
