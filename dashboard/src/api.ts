// The services' HTTP API, wrapped: same-origin cookies, JSON in and out, and every non-2xx
// answer turned into an ApiRequestError carrying the server's message (written for people).
import type { DeskView, DoorView, EventPage, Me, SiteView, UnlockAccepted } from '../../contracts/api.ts';

/** A request that did not succeed. `message` is always fit to show to a person. */
export class ApiRequestError extends Error {
  /** HTTP status, or 0 when the server could not be reached. */
  readonly status: number;
  /** The server's stable code (e.g. `door-offline`), or our own (`network`, `http-500`). */
  readonly code: string;

  constructor(status: number, code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ApiRequestError';
    this.status = status;
    this.code = code;
  }
}

export function isApiError(err: unknown, status?: number): err is ApiRequestError {
  return err instanceof ApiRequestError && (status === undefined || err.status === status);
}

/** Words for a failure whose body carried no message (a proxy page, an empty 502). */
function fallbackMessage(status: number): string {
  if (status === 401) return 'Your session has ended. Please log in again.';
  if (status === 403) return 'You are not allowed to do that.';
  if (status === 404) return 'Not found. Reload the page and try again.';
  if (status === 429) return 'Too many attempts. Wait a minute and try again.';
  if (status >= 500) return 'The server had a problem. Try again in a moment.';
  return `The request failed (HTTP ${status}).`;
}

async function errorFrom(res: Response): Promise<ApiRequestError> {
  let code = `http-${res.status}`;
  let message = fallbackMessage(res.status);
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
  return new ApiRequestError(res.status, code, message);
}

async function request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method, credentials: 'same-origin', headers: { accept: 'application/json' } };
  if (body !== undefined) {
    init.headers = { accept: 'application/json', 'content-type': 'application/json' };
    init.body = JSON.stringify(body);
  }
  let res: Response;
  try {
    res = await fetch(path, init);
  } catch (cause) {
    throw new ApiRequestError(0, 'network', 'Could not reach the server. Check your connection and try again.', { cause });
  }
  if (!res.ok) throw await errorFrom(res);
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
  events: (limit: number) => request<EventPage>('GET', `/api/events?limit=${limit}`),
  unlock: (doorId: string) => request<UnlockAccepted>('POST', `/api/doors/${encodeURIComponent(doorId)}/unlock`),
};
