'use strict';
// The services API as the automation role calls it: `Authorization: Bearer <automation token>`.
// Every call is authorised and audited by the services; this client only turns answers into
// results or into errors with a stable code and a short reason for a node's status.

const TIMEOUT_MS = 5000;

class ServicesError extends Error {
  /** code: invalid-token, forbidden, unknown-door, door-offline, bad-request, rate-limited, unreachable, http-<status> */
  constructor(code, reason, message, status) {
    super(message);
    this.name = 'ServicesError';
    this.code = code;
    this.reason = reason;
    this.status = status ?? null;
  }
}

function reasonFor(status, body, door) {
  const message = typeof body?.message === 'string' ? body.message : '';
  switch (status) {
    case 401:
      return ['invalid-token', 'invalid token', `the services refused the automation token (401${body?.error ? ` ${body.error}` : ''})`];
    case 403:
      return ['forbidden', `forbidden${door ? `: ${door}` : ''}`, `the automation role may not do this${door ? ` on door "${door}"` : ''} (403${message ? `: ${message}` : ''})`];
    case 404:
      return ['unknown-door', `unknown door ${door ?? ''}`.trim(), `the services know no door "${door}" (404)`];
    case 503:
      return ['door-offline', `${door ?? 'door'} offline`, `door "${door}" is offline (503${message ? `: ${message}` : ''})`];
    case 400:
      return ['bad-request', 'bad request', `the services refused the request (400${message ? `: ${message}` : ''})`];
    case 429:
      return ['rate-limited', 'rate limited', 'too many commands: the services rate limit answered 429'];
    default:
      return [`http-${status}`, `HTTP ${status}`, `unexpected answer from the services: HTTP ${status}${message ? ` ${message}` : ''}`];
  }
}

function createServicesClient({ baseUrl, token, timeoutMs = TIMEOUT_MS }) {
  const base = String(baseUrl ?? '').replace(/\/+$/, '');

  async function call(method, path, body, door) {
    if (!base) throw new ServicesError('not-configured', 'no services URL', 'the site has no services URL');
    if (!token) throw new ServicesError('no-token', 'no token', 'the site has no automation token');
    let res;
    try {
      res = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw new ServicesError('unreachable', 'services unreachable', `the services at ${base} did not answer: ${err.cause?.code ?? err.message}`);
    }
    const text = await res.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON: reported by status below */
    }
    if (res.ok) return json;
    const [code, reason, message] = reasonFor(res.status, json, door);
    throw new ServicesError(code, reason, message, res.status);
  }

  return {
    /** POST /api/doors/:id/commands → {commandId, action, exp} */
    doorCommand: (door, action, reason) =>
      call('POST', `/api/doors/${encodeURIComponent(door)}/commands`, reason ? { action, reason } : { action }, door),
    /** GET /api/doors → DoorView[] */
    doors: () => call('GET', '/api/doors'),
    /** GET /api/zones/occupancy → [{zone, name, occupied, capacity, desks}] */
    zoneOccupancy: () => call('GET', '/api/zones/occupancy'),
  };
}

module.exports = { createServicesClient, ServicesError };
