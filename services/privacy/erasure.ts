// Erasure (GDPR art. 17): a member's personal data goes; what they did stays, anonymised, so that
// visit counts and the audit trail stay right. Their id becomes a random pseudonym in events,
// audit and history; the member row goes with their credentials and sessions, alert choices and
// push subscriptions (alert deliveries and acknowledgements keep the pseudonym). The history store
// may be down: then its rewrite waits in `erasures` and points still in flight are renamed by the
// writer's transform (erasureTransform) before they are written. No byte of the name or e-mail
// stays in services.db or its WAL (scrub).
import { randomBytes } from 'node:crypto';
import type { Logger } from '../../runtime/log.ts';
import { scrubFreedPages } from '../../runtime/sqlite.ts';
import type { ErasureResult } from '../../contracts/api/index.ts';
import type { Store } from '../db/store.ts';
import { memberHash } from '../db/erasures-repo.ts';
import type { HistoryStore } from '../history/store.ts';
import { withMember, type Point } from '../history/point.ts';

export interface ErasureDeps {
  store: Store;
  history: HistoryStore;
  log: Logger;
  now: () => number;
}

/**
 * Renames the member tag of points of erased members (points buffered or spooled at erasure), and
 * of members whose id migration 4 renamed (points spooled before the upgrade).
 */
export function erasureTransform(store: Store): { transform: (p: Point) => Point; refresh: () => void } {
  let erased = store.erasures.all();
  const renamed = store.memberRenames.all();
  return {
    refresh: () => {
      erased = store.erasures.all();
    },
    transform: (p) => {
      let member = p.tags.member;
      if ((erased.size === 0 && renamed.size === 0) || member === undefined || p.measurement !== 'door_event') return p;
      member = renamed.get(memberHash(member)) ?? member;
      member = erased.get(memberHash(member)) ?? member;
      return member === p.tags.member ? p : withMember(p, member);
    },
  };
}

/** Erases in SQLite at once; the history rewrite is tried now and retried later if the store is down. */
export async function eraseMember(deps: ErasureDeps, member: string, onErased: () => void): Promise<ErasureResult> {
  const { store, log } = deps;
  const pseudonym = `erased-${randomBytes(5).toString('hex')}`;
  const now = deps.now();
  const counts = store.db.transaction(() => {
    const events = store.events.anonymiseMember(member, pseudonym);
    const audit = store.audit.anonymiseMember(member, pseudonym);
    // Before the member row: their alert choices and push subscriptions reference it.
    store.alerts.forgetMember(member, pseudonym);
    store.members.remove(member);
    store.erasures.record(member, pseudonym, now);
    return { events, audit };
  })();
  onErased();
  const history = await rewriteHistory(deps, member, pseudonym);
  // After the history rewrite, which clears the plain id from `erasures`.
  const scrubbed = scrub(deps);
  log.info({ pseudonym, events: counts.events, audit: counts.audit, history, scrubbed }, 'member erased');
  return { pseudonym, ...counts, history: history ?? 0 };
}

/**
 * The rows are gone, but SQLite leaves bytes: secure delete (services/db/database.ts) zeroes them
 * in the pages, the VACUUM and the emptied WAL make sure no old copy of a page keeps them either.
 * A failure here (a reader holding the WAL) does not undo the erasure: the periodic checkpoint
 * empties the WAL later.
 */
function scrub(deps: Pick<ErasureDeps, 'store' | 'log'>): boolean {
  try {
    return scrubFreedPages(deps.store.db);
  } catch (err) {
    deps.log.warn({ err: (err as Error).message }, 'erasure: database not compacted now');
    return false;
  }
}

/** Rewrites one erased member's history; null when the store could not do it now. */
async function rewriteHistory(deps: ErasureDeps, member: string, pseudonym: string): Promise<number | null> {
  try {
    const n = await deps.history.anonymiseMember(member, pseudonym);
    deps.store.erasures.historyDone(member);
    return n;
  } catch (err) {
    deps.log.warn({ err: (err as Error).message, pseudonym }, 'history rewrite for an erasure postponed');
    return null;
  }
}

/** Retries history rewrites that were postponed (called by the retention job). */
export async function finishPendingErasures(deps: ErasureDeps): Promise<void> {
  for (const e of deps.store.erasures.pending()) await rewriteHistory(deps, e.member, e.pseudonym);
}

/**
 * Migration 4 renamed member ids made from names in services.db; the history store (another file,
 * or InfluxDB) follows here, one member at a time, each rename marked done (and its old id
 * forgotten) once written: safe to stop and run again. Called by the retention job, which runs at
 * start. Returns how many members are left (the store was down).
 */
export async function finishPendingRenames(deps: Omit<ErasureDeps, 'now'>): Promise<number> {
  const pending = deps.store.memberRenames.pending();
  let left = pending.length;
  for (const r of pending) {
    try {
      await deps.history.anonymiseMember(r.old, r.new);
      deps.store.memberRenames.historyDone(r.old);
      left--;
    } catch (err) {
      deps.log.warn({ err: (err as Error).message, member: r.new, left }, 'history: renaming member ids postponed');
      break;
    }
  }
  if (pending.length > 0 && left === 0) {
    deps.log.info({ members: pending.length }, 'history: member ids renamed');
    // The old ids were names: no copy of them stays in free pages or the WAL.
    scrub(deps);
  }
  return left;
}
