// The schemas and words of every route in contracts/routes.ts, by the same name: what it takes
// (params, query, body), what a success answers (reply), and how OpenAPI describes it. The
// services validate and document from this; the dashboard takes its types (`import type` only).
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import * as A from './api/index.ts';
import type { RouteName } from './routes.ts';

export interface RouteSchema {
  readonly tags: readonly string[];
  readonly summary: string;
  readonly description?: string;
  readonly params?: TSchema;
  readonly query?: TSchema;
  readonly body?: TSchema;
  /** A success's JSON; absent: no body (204), a file (CSV), a stream or free-form JSON. */
  readonly reply?: TSchema;
}

const list = <T extends TSchema>(s: T) => Type.Array(s);

const analytics = <R extends TSchema>(summary: string, reply: R) => ({ tags: ['analytics'], summary, query: A.AnalyticsQuery, reply }) as const;

export const ROUTE_SCHEMAS = {
  health: {
    tags: ['site'],
    summary: 'Health of the site: ok or degraded; for hosts, operators and automation also gateways, devices, broker, ingest, history',
    reply: A.HealthReply,
  },
  metrics: {
    tags: ['site'],
    summary: 'Prometheus metrics (text format): events, decisions, gateways and devices up, outboxes, history spool, rejected payloads, process',
  },

  login: { tags: ['session'], summary: 'Log in; sets the session cookie', body: A.LoginBody, reply: A.Me },
  logout: { tags: ['session'], summary: 'Log out' },
  me: { tags: ['session'], summary: 'Who is logged in', reply: A.Me },

  site: { tags: ['site'], summary: 'The site: name, time zone, floor, zones', reply: A.SiteView },
  doors: { tags: ['doors'], summary: 'Doors, their state and whether the caller may unlock them', reply: list(A.DoorView) },
  desks: { tags: ['desks'], summary: 'Desks and whether they are occupied', reply: list(A.DeskView) },
  events: { tags: ['events'], summary: 'Door events, newest first', query: A.EventQuery, reply: A.EventPage },
  zones: { tags: ['desks'], summary: 'Zones, their capacity and desks', reply: list(A.ZoneView) },
  zoneOccupancy: { tags: ['desks'], summary: 'Desks occupied now, per zone (unknown desks count as free)', reply: list(A.ZoneOccupancy) },
  devices: {
    tags: ['site'],
    summary: 'Devices (readers, locks, contacts, exit buttons, desk sensors): health as their gateway reported it; unknown while it is offline',
    query: A.DeviceQuery,
    reply: A.DeviceList,
  },
  enrolDevice: {
    tags: ['site'],
    summary: "Enrol an OSDP reader's Secure Channel key: the gateway makes a fresh key, keeps it, moves the reader to it; answers once it knows",
    params: A.IdParams,
    reply: A.DeviceEnrolReply,
  },
  live: {
    tags: ['live'],
    summary: 'Live stream (Server-Sent Events): a snapshot, then changes',
    description: 'Each `data:` line is one LiveMessage (contracts/api/live.ts).',
  },

  unlock: { tags: ['doors'], summary: 'Unlock a door once, as the logged-in member', params: A.IdParams, reply: A.UnlockAccepted },
  doorCommand: {
    tags: ['doors'],
    summary: 'Send a door command: unlock, hold, release, lock or lockdown',
    params: A.IdParams,
    body: A.DoorCommandBody,
    reply: A.UnlockAccepted,
  },

  members: { tags: ['members'], summary: 'List members', query: A.MemberQuery, reply: A.MemberPage },
  addMember: { tags: ['members'], summary: 'Add a member', body: A.NewMemberBody, reply: A.MemberView },
  member: { tags: ['members'], summary: 'One member', params: A.IdParams, reply: A.MemberView },
  changeMember: {
    tags: ['members'],
    summary: 'Change a member: status (suspend), plan, role, name, email, password, opt-in',
    params: A.IdParams,
    body: A.MemberPatchBody,
    reply: A.MemberView,
  },
  memberCredentials: { tags: ['members'], summary: "A member's cards and PINs", params: A.IdParams, reply: list(A.CredentialView) },
  addCredential: {
    tags: ['members'],
    summary: 'Add a card by its fingerprint (to enrol at a reader, use /api/enrolments)',
    params: A.IdParams,
    body: A.CredentialBody,
    reply: A.CredentialView,
  },
  exportMember: { tags: ['privacy'], summary: "A member's data (GDPR art. 15/20), as JSON", params: A.IdParams },
  eraseMember: {
    tags: ['privacy'],
    summary: 'Erase a member: personal data goes, their events stay under a pseudonym',
    params: A.IdParams,
    body: A.ErasureBody,
    reply: A.ErasureResult,
  },

  plans: { tags: ['plans'], summary: 'List plans', reply: list(A.PlanView) },
  addPlan: { tags: ['plans'], summary: 'Add a plan', body: A.PlanBody, reply: A.PlanView },
  plan: { tags: ['plans'], summary: 'One plan', params: A.IdParams, reply: A.PlanView },
  changePlan: { tags: ['plans'], summary: 'Change a plan', params: A.IdParams, body: A.PlanPatchBody, reply: A.PlanView },
  deletePlan: { tags: ['plans'], summary: 'Remove a plan nobody is on', params: A.IdParams },
  closures: { tags: ['plans'], summary: 'Closures and holidays', reply: list(A.ClosureView) },
  addClosure: {
    tags: ['plans'],
    summary: 'Add a closure: these plans (all when none given) open no doors on these dates',
    body: A.ClosureBody,
    reply: A.ClosureView,
  },
  deleteClosure: { tags: ['plans'], summary: 'Remove a closure', params: A.IdParams },

  changeCredential: {
    tags: ['credentials'],
    summary: "Change a credential's label, plan or dates",
    params: A.NumericIdParams,
    body: A.CredentialPatchBody,
    reply: A.CredentialView,
  },
  revokeCredential: {
    tags: ['credentials'],
    summary: 'Revoke a card or PIN (the gateway drops it with the next access list)',
    params: A.NumericIdParams,
    reply: A.CredentialView,
  },
  issuePass: { tags: ['credentials'], summary: 'Issue a day or guest pass: a keypad PIN valid on these dates', body: A.PassBody, reply: A.PassCreated },
  startEnrolment: {
    tags: ['credentials'],
    summary: "Enrol a card at this door's reader: unknown cards tapped there within 60 s become candidates",
    description:
      'Nothing is bound until the host confirms a candidate (`POST /api/enrolments/:id/confirm`). Progress arrives on the live stream as `{type: "enrolment"}` messages.',
    body: A.EnrolmentBody,
    reply: A.EnrolmentView,
  },
  enrolment: { tags: ['credentials'], summary: 'An enrolment and how it went', params: A.UuidParams, reply: A.EnrolmentView },
  cancelEnrolment: { tags: ['credentials'], summary: 'Cancel a waiting enrolment', params: A.UuidParams, reply: A.EnrolmentView },
  confirmEnrolment: {
    tags: ['credentials'],
    summary: 'Bind a card tapped at the reader to the member (by whoever started the enrolment, or an operator)',
    params: A.UuidParams,
    body: A.ConfirmEnrolmentBody,
    reply: A.EnrolmentView,
  },
  undoEnrolment: {
    tags: ['credentials'],
    summary: 'Undo an enrolment: revoke the card it bound (an old card it replaced stays revoked)',
    params: A.UuidParams,
    reply: A.EnrolmentView,
  },

  audit: {
    tags: ['audit'],
    summary: 'Who did what, when, from where: access decisions, unlocks, enrolments, admin changes',
    query: A.AuditQuery,
    reply: A.AuditPage,
  },
  auditCsv: { tags: ['audit'], summary: 'The audit trail as CSV (same filters, newest first; local time, headers in `lang`)', query: A.AuditCsvQuery },

  occupancy: analytics('Occupancy over time: per desk (desk=…) or per zone', A.OccupancyTimeline),
  utilisation: analytics('Share of desk time occupied per local hour of the week', A.UtilisationByHour),
  utilisationTrend: analytics('Desk utilisation per local day (0..1) and desk hours: the trend', A.UtilisationTrend),
  visitsPerDay: analytics('Visits (members) and entries per day', A.VisitsPerDay),
  membersPerWeek: analytics('Unique members per ISO week', A.UniqueMembersPerWeek),
  peak: analytics('Peak concurrent desk occupancy, overall and per day', A.PeakOccupancy),
  monthlyReport: {
    tags: ['analytics'],
    summary:
      'Monthly usage report (CSV, headers in `lang`): per day visits, entries, peak occupancy, desk hours, utilisation within opening hours; a total row',
    query: A.ReportQuery,
  },
  monthlyReportPage: {
    tags: ['analytics'],
    summary:
      'The monthly report as a page to print or save as PDF (A4), in `lang`: visits, members, utilisation within opening hours, peak, against last month and last year',
    query: A.ReportQuery,
  },

  setPresence: { tags: ['privacy'], summary: 'Show my name in presence and the event feed to other members (opt-in)', body: A.PresenceBody, reply: A.Me },
  myExport: { tags: ['privacy'], summary: 'All my data, as JSON' },
  myVisits: { tags: ['privacy'], summary: 'The days I was let in (card, PIN or app), newest first', query: A.MyVisitsQuery, reply: A.MyVisits },
  eraseMe: {
    tags: ['privacy'],
    summary: 'Erase me: my personal data goes, my visits stay counted under a pseudonym',
    body: A.ErasureBody,
    reply: A.ErasureResult,
  },

  alerts: {
    tags: ['alerts'],
    summary: 'Alerts, newest first: active ones, or recent ones too; with how their deliveries went',
    query: A.AlertsQuery,
    reply: list(A.AlertView),
  },
  raiseAlert: {
    tags: ['alerts'],
    summary: 'Raise an alert (Node-RED rules), or clear the active one of the same kind and subject',
    description: 'An alert already active for the same kind and subject is counted, not raised again: no second delivery.',
    body: A.RaiseAlertBody,
    reply: Type.Union([A.AlertView, Type.Null()]),
  },
  ackAlert: { tags: ['alerts'], summary: 'Acknowledge an alert (audited): the host has seen it and takes care', params: A.NumericIdParams, reply: A.AlertView },
  pushKey: { tags: ['alerts'], summary: 'The VAPID public key for web push subscriptions', reply: A.PushKey },
  alertPrefs: { tags: ['alerts'], summary: 'My alert choices: kinds, channels, quiet hours', reply: A.AlertPrefs },
  setAlertPrefs: { tags: ['alerts'], summary: 'Set my alert choices', body: A.AlertPrefs, reply: A.AlertPrefs },
  subscribePush: { tags: ['alerts'], summary: 'Send my alerts to this browser as web push', body: A.PushSubscriptionBody },
  webhooks: {
    tags: ['webhooks'],
    summary: 'Outgoing webhook subscriptions with their health: waiting, dead, last success, failures since',
    reply: list(A.WebhookSubscriptionView),
  },
  deadLetters: {
    tags: ['webhooks'],
    summary: 'Webhook deliveries given up (dead letters), newest first',
    query: A.DeadLettersQuery,
    reply: list(A.DeadLetterView),
  },
  retryDeadLetter: {
    tags: ['webhooks'],
    summary: 'Send a dead letter again (same webhook-id), in its subscription’s order',
    params: A.NumericIdParams,
    reply: A.RetriedLetters,
  },
  retryDeadLetters: { tags: ['webhooks'], summary: 'Send every dead letter again', reply: A.RetriedLetters },
  deleteDeadLetter: { tags: ['webhooks'], summary: 'Delete a dead letter', params: A.NumericIdParams },
  myAccess: { tags: ['privacy'], summary: 'When my plan lets me in (site time), and my own cards and passes', reply: A.MyAccess },
  sensorSuspects: {
    tags: ['site'],
    summary: 'Desk sensors suspect now (stuck occupied, never occupied, flapping), checked against the doors; left out of analytics',
    reply: list(A.SensorSuspectView),
  },
  confirmSensor: {
    tags: ['site'],
    summary: 'A host checked the desk and its sensor is fine: it counts again (audited)',
    description: 'With `backfill: true` the suspect time counts too; otherwise it stays out of analytics and counting starts now.',
    params: A.IdParams,
    body: A.ConfirmSensorBody,
    reply: A.SensorSuspectView,
  },
  myNetwork: { tags: ['privacy'], summary: 'Whether I am a network member, and my visit days at other spaces of the network', reply: A.MyNetwork },
  network: {
    tags: ['network'],
    summary: 'For a network coordinator: each space of the network with its live free desks (stale when old) and this month’s usage',
    reply: A.NetworkOverview,
  },
  networkReport: {
    tags: ['network'],
    summary:
      'For a network coordinator: the month’s usage per space and in all (JSON, or CSV in `lang` with format=csv), each space’s figures its own funder report’s',
    query: A.NetworkReportQuery,
    reply: A.NetworkReport,
  },
  changePassword: {
    tags: ['session'],
    summary: 'Change my password (current and new); my sessions elsewhere end',
    body: A.PasswordBody,
  },

  publicAvailability: {
    tags: ['public'],
    summary: 'Free desks per zone now, open hours today, whether a host is in, and the busyness forecast: no login, no personal data, CORS for any origin',
    description: 'Only with `public.enabled` in the site config (else 404). Cache-Control max-age 30 s and an ETag (If-None-Match answers 304).',
    reply: A.PublicAvailability,
  },
  publicPage: {
    tags: ['public'],
    summary: 'The public availability page (HTML, no script), in Danish or English by `lang` or Accept-Language',
    query: A.PublicPageQuery,
  },
  publicWidget: { tags: ['public'], summary: 'The <smartspace-availability src="…"> web component for the space\'s own website (JavaScript)' },
  bookable: { tags: ['bookings'], summary: 'Rooms and desks the caller may book, how far ahead, and their hours left this month', reply: A.BookableView },
  bookings: {
    tags: ['bookings'],
    summary: 'Bookings on a day (default today), of one room or desk or all; others’ bookings show as busy',
    query: A.BookingListQuery,
    reply: list(A.BookingView),
  },
  myBookings: { tags: ['bookings'], summary: 'The caller’s bookings that have not ended', reply: list(A.BookingView) },
  addBooking: {
    tags: ['bookings'],
    summary: 'Book a room or desk (the plan decides what, how far ahead and how many hours a month)',
    body: A.BookingBody,
    reply: A.BookingView,
  },
  addMemberBooking: {
    tags: ['bookings'],
    summary: 'Book for a member (hosts: the plan’s rules do not apply)',
    params: A.IdParams,
    body: A.HostBookingBody,
    reply: A.BookingView,
  },
  cancelBooking: {
    tags: ['bookings'],
    summary: 'Cancel a booking (the booker or a host): its door access and PIN go with the next access list',
    params: A.BookingIdParams,
    reply: A.BookingView,
  },
  calendarFeeds: { tags: ['bookings'], summary: 'The caller’s calendar feeds (their addresses are shown only when made)', reply: list(A.CalendarFeedView) },
  addCalendarFeed: {
    tags: ['bookings'],
    summary: 'A secret calendar feed address (iCalendar): the caller’s bookings, or one room’s',
    body: A.CalendarFeedBody,
    reply: A.CalendarFeedView,
  },
  revokeCalendarFeed: { tags: ['bookings'], summary: 'Revoke a calendar feed address', params: A.BookingIdParams },
  calendar: {
    tags: ['bookings'],
    summary: 'A calendar feed (text/calendar, RFC 5545): bookings with the room’s door and the guest PIN',
    params: A.CalendarTokenParams,
  },
  bookingPin: {
    tags: ['bookings'],
    summary: 'Issue the booking’s guest PIN (valid in its window plus grace), optionally e-mailed to a guest',
    params: A.BookingIdParams,
    body: A.BookingPinBody,
    reply: A.BookingView,
  },
} as const satisfies Record<RouteName, RouteSchema>;

type Schemas = typeof ROUTE_SCHEMAS;
type Part<K extends RouteName, P extends keyof RouteSchema, Else> = Schemas[K] extends { [Q in P]: infer S extends TSchema } ? Static<S> : Else;

/** What a route takes and answers, as types: for typed handlers and the dashboard's `call`. */
export type RouteParams<K extends RouteName> = Part<K, 'params', undefined>;
export type RouteQuery<K extends RouteName> = Part<K, 'query', undefined>;
export type RouteBody<K extends RouteName> = Part<K, 'body', undefined>;
export type RouteReply<K extends RouteName> = Part<K, 'reply', unknown>;
