// The services' HTTP API, wrapped: same-origin cookies, JSON in and out, and every non-2xx
// answer turned into an HttpError (contracts/errors.ts) carrying the server's stable code. What
// people read is chosen from that code in their language (error-words.ts); the server's English
// message stays on the error for logs. A 401 from any call but the login itself means the session ended: the
// app is told (onSessionEnded) and shows the login, keeping the page the person was on.
import { HttpError } from '../../contracts/errors.ts';
import type { EnrolmentBody } from '../../contracts/api/index.ts';
import type { CommandAction } from '../../contracts/payloads.ts';
import { ROUTES, routePath, type Method, type RouteInfo, type RouteName } from '../../contracts/routes.ts';
import type { RouteBody, RouteParams, RouteQuery, RouteReply } from '../../contracts/route-schemas.ts';

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

/** One request to the services: method, path (built from the route catalogue) and a JSON body. */
export async function request<T>(method: Method, path: string, body?: unknown): Promise<T> {
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
    if (err.status === 401 && path !== ROUTES.login.path) sessionEnded?.();
    throw err;
  }
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

type Defined<T, Then> = [T] extends [undefined] ? { [k in never]: never } : Then;
/** Query values as the URL carries them: typed keys, values also as strings (audit-query.ts, report-data.ts). */
type QueryInput<Q> = { [P in keyof Q]: Q[P] | string };
export type CallInput<K extends RouteName> = Defined<RouteParams<K>, { params: RouteParams<K> }> &
  Defined<RouteQuery<K>, { query?: QueryInput<RouteQuery<K>> }> &
  Defined<RouteBody<K>, { body: RouteBody<K> }>;
/** What a success answers: nothing for a 204, else the route's reply. */
export type CallReply<K extends RouteName> = (typeof ROUTES)[K] extends { status: 204 } ? void : RouteReply<K>;

/** Calls the catalogue's route `name` (contracts/routes.ts): path, method and types from its entry. */
export function call<K extends RouteName>(
  name: K,
  ...[input]: Record<never, never> extends CallInput<K> ? [CallInput<K>?] : [CallInput<K>]
): Promise<CallReply<K>> {
  const route: RouteInfo = ROUTES[name];
  const i = (input ?? {}) as { params?: Record<string, string | number>; query?: Record<string, string | number | boolean | undefined>; body?: unknown };
  return request<CallReply<K>>(route.method, routePath(route, i.params, i.query), i.body);
}

/** `&zone=…` or a whole query string (report-data.ts, audit-query.ts) as query values. */
const parsed = (query: string): Record<string, string> => Object.fromEntries(new URLSearchParams(query));

export const api = {
  me: () => call('me'),
  login: (email: string, password: string) => call('login', { body: { email, password } }),
  logout: () => call('logout'),
  site: () => call('site'),
  doors: () => call('doors'),
  desks: () => call('desks'),
  events: (limit: number, before?: string) => call('events', { query: { limit, before } }),
  unlock: (doorId: string) => call('unlock', { params: { id: doorId } }),
  doorCommand: (doorId: string, action: CommandAction, reason?: string) => call('doorCommand', { params: { id: doorId }, body: { action, reason } }),
  /** Show (or stop showing) my name to other members; answers with me as I now am. */
  setPresence: (optIn: boolean) => call('setPresence', { body: { optIn } }),
  /** All my data (GDPR access; audited): the services' JSON, untyped beyond an object, downloaded as it is. */
  myExport: () => call('myExport') as Promise<Record<string, unknown>>,
  /** The days I was let in, newest first (not audited, unlike the export). */
  myVisits: (limit: number) => call('myVisits', { query: { limit } }),
  myAccess: () => call('myAccess'),
  myNetwork: () => call('myNetwork'),
  changePassword: (current: string, password: string) => call('changePassword', { body: { current, password } }),
  eraseMe: () => call('eraseMe', { body: { confirm: 'erase' } }),
  /** Active members, by name (hosts and operators). */
  members: () => call('members', { query: { status: 'active', limit: 500 } }),
  memberCredentials: (memberId: string) => call('memberCredentials', { params: { id: memberId } }),
  revokeCredential: (id: number) => call('revokeCredential', { params: { id } }),
  startEnrolment: (body: EnrolmentBody) => call('startEnrolment', { body }),
  cancelEnrolment: (id: string) => call('cancelEnrolment', { params: { id } }),
  confirmEnrolment: (id: string, candidate: string, label?: string) =>
    call('confirmEnrolment', { params: { id }, body: label ? { candidate, label } : { candidate } }),
  undoEnrolment: (id: string) => call('undoEnrolment', { params: { id } }),
  /** `scope` from report-data.ts scopeQuery: '' for the whole site, or `&zone=…` / `&desk=…`. */
  utilisation: (from: string, to: string, scope = '') => call('utilisation', { query: { from, to, ...parsed(scope) } }),
  visitsPerDay: (from: string, to: string) => call('visitsPerDay', { query: { from, to } }),
  peak: (from: string, to: string, scope = '') => call('peak', { query: { from, to, ...parsed(scope) } }),
  utilisationTrend: (from: string, to: string, scope = '') => call('utilisationTrend', { query: { from, to, ...parsed(scope) } }),
  membersPerWeek: (from: string, to: string) => call('membersPerWeek', { query: { from, to } }),
  /** `query` from audit-query.ts. */
  audit: (query: string) => call('audit', { query: parsed(query) }),
  /** The rooms and desks I may book, how far ahead, and my hours left (bookings, issue 16). */
  bookable: () => call('bookable'),
  /** A day's live bookings of one room or desk (others' only as busy, unless I am a host). */
  bookings: (date: string, resource: string) => call('bookings', { query: { date, resource } }),
  myBookings: () => call('myBookings'),
  book: (body: RouteBody<'addBooking'>) => call('addBooking', { body }),
  cancelBooking: (id: number) => call('cancelBooking', { params: { id } }),
  bookingPin: (id: number) => call('bookingPin', { params: { id }, body: {} }),
  /** A host books for a member (the plan's rules do not apply). */
  bookFor: (member: string, body: RouteBody<'addMemberBooking'>) => call('addMemberBooking', { params: { id: member }, body }),
  /** My calendar feeds; the address is only in the answer that made one. */
  calendarFeeds: () => call('calendarFeeds'),
  addCalendarFeed: (room?: string) => call('addCalendarFeed', { body: room ? { room } : {} }),
  revokeCalendarFeed: (id: number) => call('revokeCalendarFeed', { params: { id } }),
};
