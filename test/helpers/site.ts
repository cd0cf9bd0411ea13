// A throw-away site for tests: the demo site's config with private ports and data dirs in a
// temp folder, plus a generated secrets file.
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { parse, stringify } from 'yaml';
import { loadSiteConfig, loadSecrets, ensureSecretsFile } from '../../config/load.ts';
import type { SiteConfig, Secrets } from '../../config/schema.ts';

export const DEMO_DIR = new URL('../../config/demo/', import.meta.url).pathname;

/** A free TCP port on loopback (closed again before returning). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export interface TestSite {
  dir: string;
  configPath: string;
  secretsPath: string;
  config: SiteConfig;
  secrets: Secrets;
  httpPort: number;
  mqttPort: number;
  cleanup(): void;
}

/**
 * Writes a site config (demo site by default, edited by `edit`) with free ports into a temp dir.
 * `externalBroker`: `broker.external: true`, the broker (Mosquitto, test/helpers/mosquitto.ts) to
 * listen at `broker.url` on the same free port. `ports: false` (the default in the unit tier,
 * which refuses the socket that finding a free port opens): fixed placeholder ports, which
 * nothing listens on in that tier. `history`: keep the demo seed's made-up weeks of history (off by
 * default, so tests start from an empty history store as before). `secrets`: values of the secrets
 * file the test sets itself (the others are generated).
 */
export async function makeTestSite(
  edit?: (raw: Record<string, any>) => void, // eslint-disable-line @typescript-eslint/no-explicit-any
  opts: {
    externalBroker?: boolean;
    ports?: boolean;
    history?: boolean;
    /**
     * Values the test sets itself, written before the rest are generated (a network's shared key);
     * or a function that edits the generated secrets file before it is loaded (webhook URLs).
     */
    secrets?: Record<string, unknown> | ((raw: Record<string, any>) => void); // eslint-disable-line @typescript-eslint/no-explicit-any
  } = {},
): Promise<TestSite> {
  const dir = mkdtempSync(join(tmpdir(), 'smartspace-'));
  const raw = parse(readFileSync(join(DEMO_DIR, 'site.yaml'), 'utf8'));
  const ports = opts.ports ?? process.env.SMARTSPACE_TEST_TIER !== 'unit';
  const httpPort = ports ? await freePort() : 18080;
  const mqttPort = ports ? await freePort() : 11883;
  raw.services.http.port = httpPort;
  raw.services.mqtt.port = mqttPort;
  raw.broker.url = `mqtt://127.0.0.1:${mqttPort}`;
  if (opts.externalBroker) raw.broker.external = true;
  raw.services.dataDir = join(dir, 'services');
  raw.services.seed = join(DEMO_DIR, 'members.yaml');
  if (!opts.history) {
    const seed = parse(readFileSync(raw.services.seed, 'utf8'));
    delete seed.history;
    raw.services.seed = join(dir, 'members.yaml');
    writeFileSync(raw.services.seed, stringify(seed));
  }
  for (const g of raw.gateways) g.dataDir = join(dir, g.id);
  edit?.(raw);
  const configPath = join(dir, 'site.yaml');
  writeFileSync(configPath, stringify(raw));
  const config = loadSiteConfig(configPath);
  const secretsPath = join(dir, 'secrets.yaml');
  // Secrets the test chooses (a network's shared key); the rest are generated.
  if (opts.secrets && typeof opts.secrets === 'object') writeFileSync(secretsPath, stringify(opts.secrets), { mode: 0o600 });
  ensureSecretsFile(config, secretsPath);
  if (typeof opts.secrets === 'function') {
    const rawSecrets = parse(readFileSync(secretsPath, 'utf8'));
    opts.secrets(rawSecrets);
    writeFileSync(secretsPath, stringify(rawSecrets), { mode: 0o600 });
  }
  const secrets = loadSecrets(config, secretsPath, {});
  return {
    dir,
    configPath,
    secretsPath,
    config,
    secrets,
    httpPort,
    mqttPort,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
