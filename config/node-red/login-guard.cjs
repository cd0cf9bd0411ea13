'use strict';
// The operators' login to Node-RED, throttled per client instead of per user name.
//
// Node-RED's own limiter (@node-red/editor-api lib/auth/strategies.js, no setting turns it off
// or changes it) refuses a user name for 10 minutes once it has seen 6 attempts in 10 minutes
// from anywhere, the right password included: whoever reaches the editor can keep the operator
// out. This guard runs before it (settings.httpAdminMiddleware runs before Node-RED's body
// parser and its /auth/token route) and checks the password itself. A wrong one is answered
// here, as Node-RED answers it (403 invalid_grant), so Node-RED's limiter only ever sees right
// passwords, and a right one clears its list. Failures are counted per client address (the
// socket's, or X-Forwarded-For's when the settings name trusted proxies): after FREE_FAILURES a
// client waits, 30 s and doubling with each further failure up to 15 minutes, and until then
// its logins are refused (429, Retry-After) without checking the password. A right password
// from a client not waiting logs in and clears that client's count. There is no per-user-name
// backoff on purpose: it would be the same lever again.
const { createRequire } = require('node:module');

// The body parser Node-RED's admin app uses, from its own dependencies: once it has parsed a
// request, Node-RED's copy leaves the request alone (req._body).
const editorApi = createRequire(require.resolve('@node-red/editor-api'));
const bodyParser = editorApi('body-parser');

const DEFAULTS = {
  freeFailures: 5,
  firstWaitMs: 30_000,
  maxWaitMs: 15 * 60_000,
  /** A client's count is forgotten this long after its last failure (once it is not waiting). */
  forgetMs: 3600_000,
  /** Clients remembered at most; beyond, the longest-remembered are dropped first. */
  maxClients: 10_000,
};

/**
 * @param {object} o
 * @param {Array<{ username: string, password: string }>} o.users bcrypt hashes, as in adminAuth.users
 * @param {(password: string, hash: string) => Promise<boolean>} o.compare bcrypt's compare
 * @param {() => number} [o.now]
 * @param {(level: number, msg: string, fields: object) => void} [o.log]
 */
function createLoginGuard(o) {
  const opts = { ...DEFAULTS, ...o };
  const now = opts.now ?? Date.now;
  const log = opts.log ?? (() => {});
  // A hash to compare against for an unknown user name, so that it takes as long as a known one.
  const someHash = opts.users[0]?.password;
  /** @type {Map<string, { failures: number, until: number, last: number }>} */
  const clients = new Map();

  const waitAfter = (failures) =>
    failures <= opts.freeFailures ? 0 : Math.min(opts.maxWaitMs, opts.firstWaitMs * 2 ** Math.min(30, failures - opts.freeFailures - 1));

  function makeRoom(t) {
    if (clients.size < opts.maxClients) return;
    for (const [key, c] of clients) if (c.until <= t && t - c.last > opts.forgetMs) clients.delete(key);
    for (const key of clients.keys()) {
      if (clients.size < opts.maxClients) break;
      clients.delete(key);
    }
  }

  async function passwordIsRight(username, password) {
    if (typeof username !== 'string' || typeof password !== 'string' || !someHash) return false;
    const user = opts.users.find((u) => u.username === username);
    const right = await opts.compare(password, user ? user.password : someHash).catch(() => false);
    return Boolean(user && right);
  }

  /**
   * One login attempt from a client. The failure is counted before the password is checked, so
   * parallel guesses from one client wait as sequential ones do; a right password takes it back.
   * @returns {Promise<{ ok: true } | { ok: false, retryAfterS?: number }>}
   */
  async function attempt(client, username, password) {
    const t = now();
    let c = clients.get(client);
    if (c && c.until > t) return { ok: false, retryAfterS: Math.max(1, Math.ceil((c.until - t) / 1000)) };
    if (c && t - c.last > opts.forgetMs) {
      clients.delete(client);
      c = undefined;
    }
    if (!c) {
      makeRoom(t);
      c = { failures: 0, until: 0, last: t };
      clients.set(client, c);
    }
    c.failures += 1;
    c.last = t;
    const wait = waitAfter(c.failures);
    if (wait > 0) c.until = t + wait;
    if (await passwordIsRight(username, password)) {
      clients.delete(client);
      return { ok: true };
    }
    if (wait > 0) log(40, 'operator login: client waits after failed logins', { client, failures: c.failures, waitS: Math.ceil(wait / 1000) });
    return { ok: false };
  }

  const parsers = [bodyParser.json({ limit: '16kb' }), bodyParser.urlencoded({ limit: '16kb', extended: false })];

  /** Express middleware for settings.httpAdminMiddleware: POST /auth/token with a password only. */
  function middleware(req, res, next) {
    if (req.method !== 'POST' || req.path !== '/auth/token') return next();
    parsers[0](req, res, (err) => {
      if (err) return next(err);
      parsers[1](req, res, (err2) => {
        if (err2) return next(err2);
        const body = req.body ?? {};
        if (body.grant_type !== 'password') return next();
        attempt(clientOf(req), body.username, body.password).then((r) => {
          if (r.ok) return next();
          if (r.retryAfterS) {
            res.set('Retry-After', String(r.retryAfterS));
            return res.status(429).json({ error: 'slow_down', error_description: `Too many failed logins from this address: try again in ${r.retryAfterS} s` });
          }
          return res.status(403).json({ error: 'invalid_grant', error_description: 'Invalid resource owner credentials' });
        }, next);
      });
    });
  }

  return { middleware, attempt, clients };
}

/** The client's address: express's req.ip (X-Forwarded-For only from trusted proxies), IPv4 unmapped. */
function clientOf(req) {
  const ip = req.ip ?? req.socket?.remoteAddress ?? 'unknown';
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}

module.exports = { createLoginGuard, LOGIN_GUARD_DEFAULTS: DEFAULTS };
