// History retention is on by default: a site config without a `history` section keeps SQLite
// history and door events for RetentionConfig's default days, applied at start and every hour.
import { describe, it, expect, afterEach, vi } from 'vitest';
import { join } from 'node:path';
import { makeTestSite, type TestSite } from '../helpers/site.ts';
import { buildApp } from '../../services/app.ts';
import { openStore } from '../../services/db/store.ts';
import { SqliteHistoryStore, HISTORY_DB_FILE } from '../../services/history/sqlite-store.ts';
import { MEASUREMENTS, RETENTION_KEY, type Measurement, type Point } from '../../services/history/point.ts';
import { RetentionJob } from '../../services/privacy/retention.ts';
import { accessEvent, silent, NO_DASHBOARD } from './helpers.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 1, 12);
const DEFAULT_DAYS = { doorEvents: 90, occupancy: 730, readings: 30, health: 30 };

const sites: TestSite[] = [];
afterEach(() => {
  vi.useRealTimers();
  for (const s of sites.splice(0)) s.cleanup();
});

async function siteWithoutHistory(): Promise<TestSite> {
  const site = await makeTestSite((raw) => {
    delete raw.history;
    raw.services.http.port = 0;
    raw.services.mqtt.port = 0;
  });
  sites.push(site);
  return site;
}

const point = (measurement: Measurement, ageDays: number, tag: string): Point => ({
  measurement,
  tags: { probe: tag },
  fields: { value: 1 },
  ts: NOW - ageDays * DAY,
  ns: 0,
});

/** For each measurement, one point a day past its default retention and one a day inside it. */
const pointsAround = (tag: string) =>
  MEASUREMENTS.flatMap((m) => [point(m, DEFAULT_DAYS[RETENTION_KEY[m]] + 1, `${tag}-old`), point(m, DEFAULT_DAYS[RETENTION_KEY[m]] - 1, `${tag}-kept`)]);

async function probes(history: SqliteHistoryStore): Promise<string[]> {
  const all = await Promise.all(MEASUREMENTS.map((m) => history.query({ measurement: m, from: 0, to: NOW + DAY })));
  // Door events the services replay into history at start carry no probe tag.
  return all.flatMap((ps, i) => ps.filter((p) => p.tags.probe).map((p) => `${MEASUREMENTS[i]}:${p.tags.probe}`)).sort();
}

describe('history retention by default', () => {
  it('a site without a history section gets SQLite and the default days', async () => {
    const site = await siteWithoutHistory();
    expect(site.config.history).toMatchObject({ store: 'sqlite', retentionDays: DEFAULT_DAYS });
  });

  it('the services apply it at start: old history points and door events are gone, recent ones kept', async () => {
    const site = await siteWithoutHistory();
    const dataDir = site.config.services.dataDir;
    const store = openStore(dataDir);
    const oldEvent = accessEvent({ ts: NOW - 91 * DAY });
    const keptEvent = accessEvent({ ts: NOW - 89 * DAY });
    store.events.insert(oldEvent, NOW);
    store.events.insert(keptEvent, NOW);
    store.close();
    const history = new SqliteHistoryStore(join(dataDir, HISTORY_DB_FILE));
    await history.write(pointsAround('before'));
    await history.close();

    const app = await buildApp(site.config, site.secrets, { logger: silent(), dashboardDir: NO_DASHBOARD, now: () => NOW });
    try {
      await app.listen();
      expect(app.store.db.prepare('SELECT id FROM events WHERE id IN (?, ?)').all(oldEvent.id, keptEvent.id)).toEqual([{ id: keptEvent.id }]);
    } finally {
      // Waits for the pass in progress.
      await app.close();
    }
    const after = new SqliteHistoryStore(join(dataDir, HISTORY_DB_FILE));
    try {
      expect(await probes(after)).toEqual(MEASUREMENTS.map((m) => `${m}:before-kept`).sort());
    } finally {
      await after.close();
    }
  });

  it('runs again every hour after the first pass', async () => {
    const site = await siteWithoutHistory();
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const store = openStore(site.config.services.dataDir);
    const history = new SqliteHistoryStore(join(site.config.services.dataDir, HISTORY_DB_FILE));
    const job = new RetentionJob({ retention: site.config.history.retentionDays, store, history, log: silent(), now: () => NOW });
    try {
      job.start();
      await job.run();
      // Written after the first pass: still there until the hour has come round.
      await history.write(pointsAround('later'));
      vi.advanceTimersByTime(3600_000 - 1);
      expect(await probes(history)).toHaveLength(2 * MEASUREMENTS.length);
      vi.advanceTimersByTime(1);
      await job.run(); // the pass the timer started
      expect(await probes(history)).toEqual(MEASUREMENTS.map((m) => `${m}:later-kept`).sort());
    } finally {
      await job.stop();
      await history.close();
      store.close();
    }
  });
});
