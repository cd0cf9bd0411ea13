// "My visits", from the member's own data export (GET /api/me/export, the only route that
// gives a member their own door events): each site day they were let in by card or app, with
// the first and last entry and the doors. Denials and the exit button are not visits. The
// export's events are the stored door events (contracts/payloads.ts AccessEvent), read
// defensively: the route's answer is typed only as an object.

export interface VisitDay {
  /** "2025-06-02" in the site's zone. */
  day: string;
  first: number;
  last: number;
  /** Entries that day. */
  entries: number;
  /** Door ids, in order of first use. */
  doors: string[];
}

interface Entry {
  ts: number;
  door: string;
}

function entriesOf(data: unknown): Entry[] {
  const events = data && typeof data === 'object' ? (data as Record<string, unknown>).events : undefined;
  if (!Array.isArray(events)) return [];
  const out: Entry[] = [];
  for (const e of events as unknown[]) {
    if (!e || typeof e !== 'object') continue;
    const { type, decision, via, ts, door } = e as Record<string, unknown>;
    if (type !== 'access' || decision !== 'granted' || via === 'exit-button') continue;
    if (typeof ts !== 'number' || !Number.isFinite(ts) || typeof door !== 'string') continue;
    out.push({ ts, door });
  }
  return out;
}

/** The days with visits, newest day first. */
export function visitDays(data: unknown, dayKey: (ts: number) => string): VisitDay[] {
  const byDay = new Map<string, VisitDay>();
  for (const { ts, door } of entriesOf(data).sort((a, b) => a.ts - b.ts)) {
    const day = dayKey(ts);
    const v = byDay.get(day);
    if (!v) {
      byDay.set(day, { day, first: ts, last: ts, entries: 1, doors: [door] });
      continue;
    }
    v.last = ts;
    v.entries += 1;
    if (!v.doors.includes(door)) v.doors.push(door);
  }
  return [...byDay.values()].sort((a, b) => b.first - a.first);
}

/** "smartspace-my-data-2025-06-02.json": the file name of a download made on `day`. */
export function exportFileName(day: string): string {
  return `smartspace-my-data-${day}.json`;
}
