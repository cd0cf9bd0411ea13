// The services' HTTP API, wrapped: same-origin cookies, JSON in and out, and every non-2xx
// answer turned into an HttpError (contracts/errors.ts) carrying the server's stable code. What
// people read is chosen from that code in their language (error-words.ts); the server's English
// message stays on the error for logs. A 401 from any call but the login itself means the session ended: the
// app is told (onSessionEnded) and shows the login, keeping the page the person was on.
import { HttpError } from '../../contracts/errors.ts';
import type { AuditPage, PeakOccupancy, UtilisationByHour, UtilisationTrend, UniqueMembersPerWeek, MyVisits, VisitsPerDay, CredentialView, DeskView, DoorView, EnrolmentBody, EnrolmentView, EventPage, Me, MemberPage, SiteView, UnlockAccepted } from '../../contracts/api/index.ts';

/**
 * A request that did not succeed: the contract's one HttpError (contracts/errors.ts). `status` is
 * 0 when the server could not be reached; `code` is the server's stable code (e.g.
 * `door-offline`) or our own (`network`, `http-500`); `message` the server's (English) text.
 */
export { HttpError as ApiRequestError };

export function isApiError(err: unknown, status?: number): err is HttpError {
  return err instanceof HttpError && (status === undefined || err.status === status);
}

let sessionEnded: (() => void) | null = null;

/** Called on a 401 from any request except the login (one listener: the app shell). */
export function onSessionEnded(listener: (() => void) | null): void {
  sessionEnded = listener;
}

async function errorFrom(res: Response): Promise<HttpError> {
  let code = `http-${res.status}`;
  let message = `HTTP ${res.status}`;
  try {
    const body: unknown = await res.json();
    if (body && typeof body === 'object') {
      const { error, message: text } = body as Record<string, unknown>;
      if (typeof error === 'string' && error) code = error;
      if (typeof text === 'string' && text) message = text;
    }
  } catch {
    // Not JSON: keep the fallback words.
  }
  return new HttpError(res.status, code, message);
}

/** One call to the services (manage-api.ts adds the administration calls on top). */
export async function request<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method, credentials: 'same-origin', headers: { accept: 'application/json' } };
  if (body !== undefined) {
    init.headers = { accept: 'application/json', 'content-type': 'application/json' };
    init.body = JSON.stringify(body);
  }
  let res: Response;
  try {
    res = await fetch(path, init);
  } catch (cause) {
    throw new HttpError(0, 'network', 'server not reachable', { cause });
  }
  if (!res.ok) {
    const err = await errorFrom(res);
    if (err.status === 401 && path !== '/api/login') sessionEnded?.();
    throw err;
  }
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

export const api = {
  me: () => request<Me>('GET', '/api/me'),
  login: (email: string, password: string) => request<Me>('POST', '/api/login', { email, password }),
  logout: () => request<void>('POST', '/api/logout'),
  site: () => request<SiteView>('GET', '/api/site'),
  doors: () => request<DoorView[]>('GET', '/api/doors'),
  desks: () => request<DeskView[]>('GET', '/api/desks'),
  events: (limit: number, before?: string) =>
    request<EventPage>('GET', `/api/events?limit=${limit}${before ? `&before=${encodeURIComponent(before)}` : ''}`),
  unlock: (doorId: string) => request<UnlockAccepted>('POST', `/api/doors/${encodeURIComponent(doorId)}/unlock`),
  /** Show (or stop showing) my name to other members; answers with me as I now am. */
  setPresence: (optIn: boolean) => request<Me>('PUT', '/api/me/presence', { optIn }),
  /** All my data (GDPR access; audited): the services' JSON, untyped beyond an object, downloaded as it is. */
  myExport: () => request<Record<string, unknown>>('GET', '/api/me/export'),
  /** The days I was let in, newest first (not audited, unlike the export). */
  myVisits: (limit: number) => request<MyVisits>('GET', `/api/me/visits?limit=${limit}`),
  /** Active members, by name (hosts and operators). */
  members: () => request<MemberPage>('GET', '/api/members?status=active&limit=500'),
  memberCredentials: (memberId: string) => request<CredentialView[]>('GET', `/api/members/${encodeURIComponent(memberId)}/credentials`),
  revokeCredential: (id: number) => request<CredentialView>('DELETE', `/api/credentials/${id}`),
  startEnrolment: (body: EnrolmentBody) => request<EnrolmentView>('POST', '/api/enrolments', body),
  cancelEnrolment: (id: string) => request<EnrolmentView>('DELETE', `/api/enrolments/${encodeURIComponent(id)}`),
  /** `query` from audit-query.ts. */
  utilisation: (from: string, to: string, scope = '') => request<UtilisationByHour>('GET', `/api/analytics/utilisation?from=${from}&to=${to}${scope}`),
  visitsPerDay: (from: string, to: string) => request<VisitsPerDay>('GET', `/api/analytics/visits?from=${from}&to=${to}`),
  peak: (from: string, to: string, scope = '') => request<PeakOccupancy>('GET', `/api/analytics/peak?from=${from}&to=${to}${scope}`),
  /** `scope` from report-data.ts scopeQuery: '' for the whole site, or `&zone=…` / `&desk=…`. */
  utilisationTrend: (from: string, to: string, scope = '') =>
    request<UtilisationTrend>('GET', `/api/analytics/utilisation-trend?from=${from}&to=${to}${scope}`),
  membersPerWeek: (from: string, to: string) => request<UniqueMembersPerWeek>('GET', `/api/analytics/members?from=${from}&to=${to}`),
  audit: (query: string) => request<AuditPage>('GET', `/api/audit${query ? `?${query}` : ''}`),
};
