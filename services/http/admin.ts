// Helpers shared by the admin routes: id params, the audit + recompile step every change ends
// with, and input checks that a schema cannot express (dates in order, known doors and plans).
import { randomBytes } from 'node:crypto';
import { apiError } from '../../contracts/errors.ts';
import type { FastifyRequest } from 'fastify';
import type { TimeWindow } from '../../contracts/payloads.ts';
import { isLocalDate } from '../../contracts/local-time.ts';
import { slug } from '../../contracts/patterns.ts';
import { actorId } from './auth.ts';
import type { AdminDeps } from './context.ts';

export { IdParams, NumericIdParams } from '../../contracts/api/index.ts';

export const notFound = (what: string) => apiError('not-found', `There is no such ${what}.`);

/** Audits an admin change and recompiles the access lists (every change may matter to a door). */
export async function changed(ctx: AdminDeps, request: FastifyRequest, action: string, target: string | null, detail?: Record<string, unknown>): Promise<void> {
  ctx.store.audit.write({ ts: ctx.now(), actor: actorId(request.actor), action, target, detail: detail ?? null, source: request.ip });
  await ctx.accessLists.recompile();
}

/** Local dates: real calendar dates, `from` not after `to`. */
export function checkDates(from: string | null | undefined, to: string | null | undefined, key = 'validFrom/validTo'): void {
  for (const d of [from, to]) if (d && !isLocalDate(d)) throw apiError('bad-date', `${d} is not a calendar date (YYYY-MM-DD).`);
  if (from && to && from > to) throw apiError('bad-date', `${key}: the first date is after the last.`);
}

export function checkDoors(ctx: Pick<AdminDeps, 'config'>, doors: readonly string[]): void {
  const known = new Set(ctx.config.doors.map((d) => d.id));
  const unknown = doors.filter((d) => !known.has(d));
  if (unknown.length > 0) throw apiError('unknown-door', `Unknown door: ${unknown.join(', ')}.`, 400);
}

export function checkPlan(ctx: Pick<AdminDeps, 'store'>, plan: string | null | undefined): void {
  if (plan && !ctx.store.plans.byId(plan)) throw apiError('unknown-plan', `There is no plan "${plan}".`);
}

const toMinute = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export function checkWindows(windows: readonly TimeWindow[]): void {
  for (const w of windows) {
    if (toMinute(w.from) >= toMinute(w.to)) throw apiError('bad-window', `A window must end after it starts (${w.from}–${w.to}).`);
    if (new Set(w.days).size !== w.days.length) throw apiError('bad-window', 'A window lists a day twice.');
  }
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * A new member id: `m_` and 80 random bits in base32 (PATTERNS.memberId). Says nothing about the
 * person, unlike a slug of the name, which stayed in logs, topics and audit rows after an erasure.
 * `taken` (members and erased ids) is asked anyway; a repeat is 2^-80 likely.
 */
export function newMemberId(taken: (id: string) => boolean): string {
  for (;;) {
    const bytes = randomBytes(10);
    let bits = 0;
    let value = 0;
    let id = 'm_';
    for (const b of bytes) {
      value = (value << 8) | b;
      bits += 8;
      while (bits >= 5) {
        id += BASE32[(value >>> (bits - 5)) & 31];
        bits -= 5;
      }
      value &= (1 << bits) - 1;
    }
    if (!taken(id)) return id;
  }
}

/** A readable id from a name (plans, sites; never members: newMemberId): "Åbent kontor" → aabent-kontor; `taken` decides when to add -2, -3… */
export function slugId(name: string, taken: (id: string) => boolean, fallback = 'x'): string {
  const base = slug(name) || fallback;
  for (let i = 1; ; i++) {
    const id = i === 1 ? base : `${base}-${i}`;
    if (!taken(id)) return id;
  }
}
