// The HTTP route catalogue: one entry per route of the services' API, by name — method, path,
// who may call it, the status of a success and the error codes of its own. The schemas of each
// route (params, query, body, reply) are contracts/route-schemas.ts under the same name. The
// services register every route from both; the dashboard's client (`call(name, …)`) and the
// palette's services client build their paths from this table. Plain data and `import type`
// only: the dashboard bundles this file without TypeBox.
import type { ApiErrorCode } from './errors.ts';
import type { Role } from './api/common.ts';

/** Who may call a route: anyone, or a role and those above it (member < host < operator). */
export type Access = 'public' | Role;
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteInfo {
  readonly method: Method;
  /** Fastify-style path: `:id` is a parameter. */
  readonly path: string;
  readonly access: Access;
  /** The automation bearer token (Node-RED) may call it too. */
  readonly automation?: boolean;
  /** Status of a success; 200 when absent. 204 answers no body. */
  readonly status?: 201 | 202 | 204;
  /** Error codes of this route's own; access, validation and rate-limit codes are added (routeErrors). */
  readonly errors?: readonly ApiErrorCode[];
  /** The answer is not JSON (CSV, an event stream, Prometheus text, a page to print). */
  readonly raw?: 'csv' | 'sse' | 'prometheus' | 'html' | 'js' | 'ics';
  /** Rate-limited per session, token or IP. */
  readonly limited?: boolean;
}

const analytics = (path: string) =>
  ({ method: 'GET', path, access: 'host', errors: ['bad-date', 'bad-range', 'unknown-zone', 'unknown-desk', 'history-unavailable'] }) as const;

export const ROUTES = {
  health: { method: 'GET', path: '/api/health', access: 'public' },
  /** Prometheus scrapes here (its default path), with the automation token as a bearer token. */
  metrics: { method: 'GET', path: '/metrics', access: 'host', automation: true, raw: 'prometheus' },

  login: { method: 'POST', path: '/api/login', access: 'public', errors: ['invalid-credentials'], limited: true },
  logout: { method: 'POST', path: '/api/logout', access: 'public', status: 204 },
  me: { method: 'GET', path: '/api/me', access: 'member' },

  site: { method: 'GET', path: '/api/site', access: 'member' },
  doors: { method: 'GET', path: '/api/doors', access: 'member', automation: true },
  desks: { method: 'GET', path: '/api/desks', access: 'member' },
  events: { method: 'GET', path: '/api/events', access: 'member', errors: ['bad-cursor'] },
  zones: { method: 'GET', path: '/api/zones', access: 'member' },
  zoneOccupancy: { method: 'GET', path: '/api/zones/occupancy', access: 'member', automation: true },
  devices: { method: 'GET', path: '/api/devices', access: 'host', errors: ['unknown-gateway'] },
  enrolDevice: {
    method: 'POST',
    path: '/api/devices/:id/enrol',
    access: 'operator',
    automation: true,
    limited: true,
    errors: ['unknown-device', 'gateway-offline'],
  },
  live: { method: 'GET', path: '/api/live', access: 'member', raw: 'sse', errors: ['shutting-down'] },

  unlock: {
    method: 'POST',
    path: '/api/doors/:id/unlock',
    access: 'member',
    status: 202,
    limited: true,
    errors: ['unknown-door', 'not-allowed', 'door-offline'],
  },
  doorCommand: {
    method: 'POST',
    path: '/api/doors/:id/commands',
    access: 'host',
    automation: true,
    status: 202,
    limited: true,
    errors: ['unknown-door', 'door-offline'],
  },

  members: { method: 'GET', path: '/api/members', access: 'host' },
  addMember: { method: 'POST', path: '/api/members', access: 'host', status: 201, errors: ['unknown-plan', 'email-taken', 'id-taken', 'no-email'] },
  member: { method: 'GET', path: '/api/members/:id', access: 'host', errors: ['not-found'] },
  changeMember: {
    method: 'PATCH',
    path: '/api/members/:id',
    access: 'host',
    errors: ['not-found', 'unknown-plan', 'email-taken', 'last-operator', 'no-email'],
  },
  memberCredentials: { method: 'GET', path: '/api/members/:id/credentials', access: 'host', errors: ['not-found'] },
  addCredential: {
    method: 'POST',
    path: '/api/members/:id/credentials',
    access: 'host',
    status: 201,
    errors: ['not-found', 'bad-date', 'unknown-plan', 'card-taken'],
  },
  exportMember: { method: 'GET', path: '/api/members/:id/export', access: 'operator', errors: ['not-found'] },
  eraseMember: { method: 'POST', path: '/api/members/:id/erase', access: 'operator', errors: ['not-found', 'last-operator'] },

  plans: { method: 'GET', path: '/api/plans', access: 'host' },
  addPlan: { method: 'POST', path: '/api/plans', access: 'host', status: 201, errors: ['id-taken', 'unknown-door', 'bad-window', 'bad-date'] },
  plan: { method: 'GET', path: '/api/plans/:id', access: 'host', errors: ['not-found'] },
  changePlan: { method: 'PATCH', path: '/api/plans/:id', access: 'host', errors: ['not-found', 'unknown-door', 'bad-window', 'bad-date'] },
  deletePlan: { method: 'DELETE', path: '/api/plans/:id', access: 'host', status: 204, errors: ['not-found', 'plan-in-use'] },
  closures: { method: 'GET', path: '/api/closures', access: 'host' },
  addClosure: { method: 'POST', path: '/api/closures', access: 'host', status: 201, errors: ['bad-date', 'unknown-plan'] },
  deleteClosure: { method: 'DELETE', path: '/api/closures/:id', access: 'host', status: 204, errors: ['not-found'] },

  changeCredential: { method: 'PATCH', path: '/api/credentials/:id', access: 'host', errors: ['not-found', 'revoked', 'bad-date', 'unknown-plan'] },
  revokeCredential: { method: 'DELETE', path: '/api/credentials/:id', access: 'host', errors: ['not-found', 'revoked'] },
  issuePass: { method: 'POST', path: '/api/passes', access: 'host', status: 201, errors: ['unknown-member', 'bad-date', 'unknown-plan', 'pin-taken'] },
  startEnrolment: {
    method: 'POST',
    path: '/api/enrolments',
    access: 'host',
    status: 201,
    errors: ['unknown-member', 'unknown-door', 'bad-date', 'unknown-plan', 'not-found', 'wrong-member', 'revoked', 'enrolment-open'],
  },
  enrolment: { method: 'GET', path: '/api/enrolments/:id', access: 'host', errors: ['not-found'] },
  cancelEnrolment: { method: 'DELETE', path: '/api/enrolments/:id', access: 'host', errors: ['not-found', 'not-waiting'] },
  confirmEnrolment: {
    method: 'POST',
    path: '/api/enrolments/:id/confirm',
    access: 'host',
    errors: ['not-found', 'not-waiting', 'unknown-candidate', 'card-taken', 'unknown-member'],
  },
  undoEnrolment: { method: 'POST', path: '/api/enrolments/:id/undo', access: 'host', errors: ['not-found', 'not-bound'] },

  audit: { method: 'GET', path: '/api/audit', access: 'host', errors: ['bad-cursor', 'bad-range'] },
  auditCsv: { method: 'GET', path: '/api/audit.csv', access: 'host', raw: 'csv', errors: ['bad-cursor', 'bad-range'] },

  occupancy: analytics('/api/analytics/occupancy'),
  utilisation: analytics('/api/analytics/utilisation'),
  utilisationTrend: analytics('/api/analytics/utilisation-trend'),
  visitsPerDay: analytics('/api/analytics/visits'),
  membersPerWeek: analytics('/api/analytics/members'),
  peak: analytics('/api/analytics/peak'),
  monthlyReport: { method: 'GET', path: '/api/reports/monthly.csv', access: 'host', raw: 'csv', errors: ['history-unavailable'] },
  monthlyReportPage: { method: 'GET', path: '/api/reports/monthly.html', access: 'host', raw: 'html', errors: ['history-unavailable'] },

  setPresence: { method: 'PUT', path: '/api/me/presence', access: 'member' },
  myExport: { method: 'GET', path: '/api/me/export', access: 'member' },
  myVisits: { method: 'GET', path: '/api/me/visits', access: 'member' },
  eraseMe: { method: 'POST', path: '/api/me/erase', access: 'member', errors: ['last-operator'] },

  alerts: { method: 'GET', path: '/api/alerts', access: 'host' },
  raiseAlert: {
    method: 'POST',
    path: '/api/alerts',
    access: 'operator',
    automation: true,
    limited: true,
    errors: ['unknown-door', 'unknown-zone', 'unknown-gateway', 'unknown-desk'],
  },
  ackAlert: { method: 'POST', path: '/api/alerts/:id/ack', access: 'host', errors: ['not-found'] },
  pushKey: { method: 'GET', path: '/api/alerts/push-key', access: 'host' },
  alertPrefs: { method: 'GET', path: '/api/me/alert-prefs', access: 'host' },
  setAlertPrefs: { method: 'PUT', path: '/api/me/alert-prefs', access: 'host' },
  subscribePush: { method: 'PUT', path: '/api/me/push', access: 'host', status: 204 },
  myAccess: { method: 'GET', path: '/api/me/access', access: 'member' },
  sensorSuspects: { method: 'GET', path: '/api/sensors/suspects', access: 'host' },
  confirmSensor: { method: 'POST', path: '/api/sensors/:id/confirm', access: 'host', errors: ['not-found'] },
  webhooks: { method: 'GET', path: '/api/webhooks', access: 'host' },
  deadLetters: { method: 'GET', path: '/api/webhooks/dead', access: 'host' },
  retryDeadLetter: { method: 'POST', path: '/api/webhooks/dead/:id/retry', access: 'operator', errors: ['not-found'] },
  retryDeadLetters: { method: 'POST', path: '/api/webhooks/dead/retry', access: 'operator' },
  deleteDeadLetter: { method: 'DELETE', path: '/api/webhooks/dead/:id', access: 'operator', status: 204, errors: ['not-found'] },
  myNetwork: { method: 'GET', path: '/api/me/network', access: 'member' },
  // The coordinator's view (network.coordinators): any role may be one; others get forbidden.
  network: { method: 'GET', path: '/api/network', access: 'member', errors: ['not-found'] },
  networkReport: { method: 'GET', path: '/api/network/report', access: 'member', raw: 'csv', errors: ['not-found', 'history-unavailable'] },
  changePassword: { method: 'PUT', path: '/api/me/password', access: 'member', status: 204, limited: true, errors: ['wrong-password'] },

  // The public availability page (issue 16): registered only with `public.enabled`, else unknown paths.
  publicAvailability: { method: 'GET', path: '/api/public/availability', access: 'public' },
  publicPage: { method: 'GET', path: '/public', access: 'public', raw: 'html' },
  publicWidget: { method: 'GET', path: '/public/widget.js', access: 'public', raw: 'js' },
  bookable: { method: 'GET', path: '/api/bookable', access: 'member' },
  bookings: { method: 'GET', path: '/api/bookings', access: 'member', errors: ['bad-date', 'unknown-resource'] },
  myBookings: { method: 'GET', path: '/api/me/bookings', access: 'member' },
  addBooking: {
    method: 'POST',
    path: '/api/bookings',
    access: 'member',
    status: 201,
    errors: ['unknown-resource', 'bad-time', 'in-the-past', 'too-far-ahead', 'not-allowed-room', 'quota-exceeded', 'booking-overlap', 'pin-taken'],
    limited: true,
  },
  addMemberBooking: {
    method: 'POST',
    path: '/api/members/:id/bookings',
    access: 'host',
    status: 201,
    errors: ['not-found', 'unknown-resource', 'bad-time', 'in-the-past', 'booking-overlap', 'pin-taken'],
    limited: true,
  },
  cancelBooking: { method: 'DELETE', path: '/api/bookings/:id', access: 'member', errors: ['not-found', 'booking-over'] },
  calendarFeeds: { method: 'GET', path: '/api/me/calendar-feeds', access: 'member' },
  addCalendarFeed: { method: 'POST', path: '/api/me/calendar-feeds', access: 'member', status: 201, limited: true, errors: ['unknown-resource'] },
  revokeCalendarFeed: { method: 'DELETE', path: '/api/me/calendar-feeds/:id', access: 'member', status: 204, errors: ['not-found'] },
  /** The secret address is the key: no login (calendar apps cannot log in). */
  calendar: { method: 'GET', path: '/api/calendar/:token', access: 'public', raw: 'ics', errors: ['not-found'] },
  bookingPin: {
    method: 'POST',
    path: '/api/bookings/:id/pin',
    access: 'member',
    status: 201,
    errors: ['not-found', 'booking-over', 'pin-taken', 'unknown-resource'],
    limited: true,
  },
} as const satisfies Record<string, RouteInfo>;

export type RouteName = keyof typeof ROUTES;

/** Every code a route may answer with: its own, and those of its access check, input and rate limit. */
export function routeErrors(route: RouteInfo, hasInput: boolean): ApiErrorCode[] {
  const codes = new Set<ApiErrorCode>();
  if (hasInput || route.method !== 'GET') codes.add('bad-request');
  // The access check reads a bearer token on every non-public route (services/http/auth.ts): a
  // wrong one is `invalid-token` there too, a right one on a route without automation `forbidden`.
  if (route.access !== 'public') codes.add('unauthenticated').add('forbidden').add('invalid-token');
  // Every state-changing route refuses a browser's cross-site request first (services/http/security.ts).
  if (route.method !== 'GET') codes.add('cross-site');
  if (route.limited) codes.add('rate-limited');
  for (const c of route.errors ?? []) codes.add(c);
  return [...codes];
}

/** A route's path with its parameters filled in (encoded) and the query's set values appended, in their order. */
export function routePath(
  route: Pick<RouteInfo, 'path'>,
  params?: Record<string, string | number>,
  query?: Record<string, string | number | boolean | undefined | null>,
): string {
  const path = route.path.replace(/:(\w+)/g, (_, name: string) => {
    const v = params?.[name];
    if (v === undefined) throw new Error(`${route.path}: no value for :${name}`);
    return encodeURIComponent(String(v));
  });
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}
