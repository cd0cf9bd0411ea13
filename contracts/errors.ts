// Every error code the services' HTTP API answers with, once: its HTTP status and what it
// means. The services fail a request only through `apiError(code, …)` (a code outside this
// table does not typecheck); the dashboard has words for each code (a missing translation does
// not typecheck); the palette reads the code from the answer's body; OpenAPI lists each route's
// codes. Plain TypeScript, no TypeBox: the dashboard bundles this file.

interface ErrorEntry {
  /** The status this code is answered with. */
  readonly status: number;
  /** Other statuses the same code may come with (e.g. a door named in a body is a 400, in a path a 404). */
  readonly alsoStatus?: readonly number[];
  /** What it means, for the OpenAPI document. */
  readonly description: string;
}

export const API_ERRORS = {
  // Input the schema or a check refused.
  'bad-request': { status: 400, description: 'The request does not match the schema (the message names the field), or a value is not allowed here.' },
  'bad-cursor': { status: 400, description: 'The `before` cursor is not one this server gave out.' },
  'bad-date': { status: 400, description: 'A date is not a calendar date, or the last date is before the first.' },
  'bad-range': { status: 400, description: 'The range is reversed or too long.' },
  'bad-window': { status: 400, description: 'A weekly window ends before it starts or lists a day twice.' },
  'unknown-door': { status: 404, alsoStatus: [400], description: 'There is no such door (404 when it is the path, 400 when the body names it).' },
  'unknown-plan': { status: 400, description: 'The body names a plan that does not exist.' },
  'unknown-member': { status: 400, description: 'The body names a member that does not exist.' },
  'unknown-zone': { status: 400, description: 'The query names a zone that does not exist.' },
  'unknown-desk': { status: 400, description: 'The query names a desk that does not exist.' },
  'unknown-gateway': { status: 400, description: 'The query names a gateway that does not exist.' },
  'unknown-device': { status: 404, description: 'There is no such device that takes this command (an OSDP reader of a door, to enrol).' },
  'wrong-password': { status: 400, description: 'The current password given is not the right one.' },
  'wrong-member': { status: 400, description: 'The credential to replace belongs to someone else.' },
  'no-email': { status: 400, description: 'A password, or the role host or operator, needs an e-mail address: login is by e-mail (a guest has none).' },
  'unsupported-media-type': { status: 415, description: 'The body is not JSON.' },
  'body-too-large': { status: 413, description: 'The body is larger than 64 KiB.' },
  // Who is calling.
  unauthenticated: { status: 401, description: 'No valid session: log in first.' },
  'invalid-credentials': { status: 401, description: 'Wrong email or password.' },
  'invalid-token': { status: 401, description: 'The bearer token is not valid.' },
  forbidden: { status: 403, description: 'The caller’s role (or automation) may not do this.' },
  'cross-site': { status: 403, description: 'A page on another site sent this state-changing request (Origin or Sec-Fetch-Site): refused.' },
  'not-allowed': { status: 403, description: 'The member’s plan does not open this door now.' },
  'rate-limited': { status: 429, description: 'Too many attempts: wait and try again.' },
  // The thing asked for.
  'not-found': { status: 404, description: 'There is no such resource or API route.' },
  'id-taken': { status: 409, description: 'The chosen id is taken.' },
  'email-taken': { status: 409, description: 'Another member has this email address.' },
  'card-taken': { status: 409, description: 'The card already belongs to someone.' },
  'pin-taken': { status: 409, description: 'The PIN is in use (or no free PIN was found).' },
  'plan-in-use': { status: 409, description: 'Members, passes or a closure still use the plan.' },
  'last-operator': { status: 409, description: 'The change would leave the site without an active operator.' },
  revoked: { status: 409, description: 'The credential is (already) revoked.' },
  'enrolment-open': { status: 409, description: 'The door is already waiting for a card.' },
  'not-waiting': { status: 409, description: 'The enrolment is over.' },
  'unknown-candidate': { status: 409, description: 'No such card was tapped at the reader in this enrolment.' },
  'not-bound': { status: 409, description: 'The enrolment bound no card, or it was undone already.' },
  // Bookings (issue 16).
  'unknown-resource': { status: 400, description: 'The booking names a room or desk that does not exist.' },
  'bad-time': { status: 400, description: 'A booking time is not a real local time, ends before it starts, or is longer than a day.' },
  'in-the-past': { status: 400, description: 'The booking ends in the past.' },
  'too-far-ahead': { status: 400, description: 'The plan does not book this far ahead.' },
  'not-allowed-room': { status: 403, description: 'The member’s plan does not book this room or desk.' },
  'quota-exceeded': { status: 409, description: 'The booking would pass the plan’s hours this month.' },
  'booking-overlap': { status: 409, description: 'The room or desk is already booked at that time.' },
  'booking-over': { status: 409, description: 'The booking is cancelled, released or over.' },
  // The server and the site.
  'door-offline': { status: 503, description: 'The door’s gateway is offline or the command could not be published.' },
  'gateway-offline': { status: 503, description: 'The device’s gateway is offline or the command could not be published.' },
  'shutting-down': { status: 503, description: 'The server is restarting.' },
  'history-unavailable': { status: 503, description: 'The history store does not answer.' },
  internal: { status: 500, description: 'Something went wrong on the server.' },
} as const satisfies Record<string, ErrorEntry>;

export type ApiErrorCode = keyof typeof API_ERRORS;

type Entry<C extends ApiErrorCode> = (typeof API_ERRORS)[C];
/** The statuses a code may be answered with. */
export type StatusOf<C extends ApiErrorCode> = Entry<C>['status'] | (Entry<C> extends { alsoStatus: readonly (infer S)[] } ? S : never);

export const API_ERROR_CODES = Object.keys(API_ERRORS) as ApiErrorCode[];

export const isApiErrorCode = (s: unknown): s is ApiErrorCode => typeof s === 'string' && Object.hasOwn(API_ERRORS, s);

/** The body of every error answer. */
export interface ApiErrorBody {
  error: string;
  message: string;
}

/**
 * A failed HTTP request, on either side: thrown by the services (through `apiError`) and
 * answered as `{error: code, message}` with `statusCode`; made by the clients (dashboard,
 * palette) from such an answer, whose code may also be one of their own (`network`, `http-500`).
 */
export class HttpError extends Error {
  constructor(
    /** HTTP status; 0 when the server could not be reached. */
    readonly statusCode: number,
    /** Stable, machine-readable code: one of API_ERRORS from the services. */
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'HttpError';
  }

  get status(): number {
    return this.statusCode;
  }

  toJSON(): ApiErrorBody {
    return { error: this.code, message: this.message };
  }
}

/** The services' way to fail a request: a code from the catalogue, at its status (or one it also allows). */
export function apiError<C extends ApiErrorCode>(code: C, message: string, status?: StatusOf<C>): HttpError {
  const entry: ErrorEntry = API_ERRORS[code];
  return new HttpError((status as number | undefined) ?? entry.status, code, message);
}

/** The error body for a code that is sent rather than thrown (not-found handler, fallbacks). */
export const errorBody = (code: ApiErrorCode, message: string): ApiErrorBody => ({ error: code, message });
