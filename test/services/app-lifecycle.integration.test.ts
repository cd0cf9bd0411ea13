// buildApp only builds (no database file, no port); listen() starts one ordered lifecycle and a
// failed start stops what had started.
import { describe, it, expect } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type Server } from 'node:net';
import { makeTestSite, freePort } from '../helpers/site.ts';
import { buildApp } from '../../services/app.ts';
import { DB_FILE } from '../../services/db/store.ts';
import { silent, NO_DASHBOARD } from './helpers.ts';

describe('services app lifecycle', () => {
  it('opens nothing while building; a taken HTTP port fails listen() and closes what had started', async () => {
    const httpPort = await freePort();
    const site = await makeTestSite((raw) => {
      raw.services.http.port = httpPort;
      raw.services.mqtt.port = 0;
    });
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(httpPort, site.config.services.http.host, resolve));
    try {
      const app = await buildApp(site.config, site.secrets, { logger: silent(), dashboardDir: NO_DASHBOARD });
      expect(existsSync(join(site.config.services.dataDir, DB_FILE))).toBe(false);
      expect(() => app.store.members).toThrow(/not open/);

      await expect(app.listen()).rejects.toMatchObject({ code: 'EADDRINUSE' });
      // The store had been opened (the file exists) and is closed again.
      expect(existsSync(join(site.config.services.dataDir, DB_FILE))).toBe(true);
      expect(() => app.store.members).toThrow(/not open/);
      await app.close();
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
      site.cleanup();
    }
  });
});
