// A member's data, for them (GDPR art. 15 access, art. 20 portability): profile, plan,
// credentials (never fingerprints), their door events and the audit entries about them, their
// bookings and calendar feeds (never a feed's secret address), and their network visits.
import type { Member } from '../db/members-repo.ts';
import { credentialView } from '../admin/credential-view.ts';
import type { Store } from '../db/store.ts';
import type { SiteConfig } from '../../config/schema.ts';
import { localDateTime } from '../../contracts/local-time.ts';

const MAX_ROWS = 100_000;

export function exportMember(ctx: { store: Store; config: Pick<SiteConfig, 'site'>; now: () => number }, m: Member): Record<string, unknown> {
  const { store, config } = ctx;
  const now = ctx.now();
  const tz = config.site.timeZone;
  const record = store.members.record(m.id);
  const plan = m.plan ? store.plans.byId(m.plan) : undefined;
  const events = store.events.forMember(m.id, MAX_ROWS).map((r) => {
    const { fingerprint: _fp, ...e } = r.event as typeof r.event & { fingerprint?: string };
    return e;
  });
  const audit = [...store.audit.query({ actor: m.id, limit: MAX_ROWS }), ...store.audit.query({ target: m.id, limit: MAX_ROWS })].sort((a, b) => a.id - b.id);
  return {
    exportedAt: new Date(now).toISOString(),
    site: { id: config.site.id, name: config.site.name, timeZone: config.site.timeZone },
    member: {
      id: m.id,
      name: m.name,
      email: m.email,
      role: m.role,
      status: m.active ? 'active' : 'suspended',
      presenceOptIn: m.presenceOptIn,
      networkMember: m.networkMember ?? false,
      createdAt: record?.createdAt ?? null,
    },
    plan: plan ?? null,
    credentials: store.credentials.forMember(m.id).map((c) => credentialView(c, config.site.timeZone, now)),
    events,
    audit: audit.filter((a, i) => i === 0 || a.id !== audit[i - 1]!.id),
    bookings: store.bookings.allOf(m.id, MAX_ROWS).map(({ pinFp: _fp, member: _m, start, end, ...b }) => ({
      ...b,
      start: localDateTime(start, tz),
      end: localDateTime(end, tz),
    })),
    calendarFeeds: store.bookings.feedsOf(m.id).map(({ id, room, createdAt }) => ({ id, room, createdAt })),
    networkVisits: store.network.visitsOf(m.id),
  };
}
