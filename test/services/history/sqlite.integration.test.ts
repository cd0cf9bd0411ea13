import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { SqliteHistoryStore, MIGRATIONS } from '../../../services/history/sqlite-store.ts';
import { openDatabase } from '../../../services/db/database.ts';
import { FAR_FUTURE, occupancyOf, occupancyPoint } from '../../../services/history/point.ts';
import { historyContract } from './contract.ts';

historyContract('sqlite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ss-history-'));
  const store = new SqliteHistoryStore(join(dir, 'history.db'));
  return Promise.resolve({
    store,
    async cleanup() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  });
});

describe('an existing history.db', () => {
  it('keeps its occupancy: boolean occupied becomes 0/1 with a state, and new points are accepted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ss-history-old-'));
    try {
      const path = join(dir, 'history.db');
      // As written before issue 13: occupied a boolean, since a float epoch ms.
      const old = openDatabase(path, MIGRATIONS.slice(0, 1));
      const insert = old.prepare('INSERT INTO points (measurement, series, ts, ns, tags, fields) VALUES (?, ?, ?, 0, ?, ?)');
      insert.run('occupancy', 'occupancy,desk=d01,zone=z', 1000, '{"desk":"d01","zone":"z"}', '{"occupied":true,"since":1000}');
      insert.run('occupancy', 'occupancy,desk=d01,zone=z', 2000, '{"desk":"d01","zone":"z"}', '{"occupied":false,"since":2000}');
      old.prepare("INSERT INTO field_types VALUES ('occupancy', 'occupied', 'boolean'), ('occupancy', 'since', 'number')").run();
      old.close();

      const store = new SqliteHistoryStore(path);
      await store.write([occupancyPoint({ v: 1, ts: 3000, desk: 'd01', occupied: true, since: 3000 }, 'z')]);
      const points = await store.query({ measurement: 'occupancy', from: 0, to: FAR_FUTURE });
      expect(points.map((p) => [p.ts, p.fields.occupied, p.fields.state, occupancyOf(p.fields)])).toEqual([
        [1000, 1, 'occupied', 1],
        [2000, 0, 'free', 0],
        [3000, 1, 'occupied', 1],
      ]);
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
