import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteHistoryStore } from '../../../services/history/sqlite-store.ts';
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
