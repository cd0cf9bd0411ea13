// Node-RED as its own process for a test site, as `npm start` runs it: the project's settings
// (config/node-red/settings.cjs), the shipped rules, the palette, a private port and user
// directory, and the site clock set by the test (SMARTSPACE_NODE_RED_CLOCK).
import { startProcess, logMsg, type ManagedProcess, type LogLine } from '../../scripts/lib/proc.ts';
import { loadNodeRedSite, type NodeRedSite } from '../../config/node-red/site.ts';
import { freePort, type TestSite } from '../helpers/site.ts';

export interface NodeRedProcess {
  proc: ManagedProcess;
  settings: NodeRedSite;
  url: string;
  /** An admin API access token for the operator login. */
  login(): Promise<string>;
  stop(): Promise<void>;
}

/** A Node-RED log line from a debug node (alerts, space state) whose text matches. */
export const debugLine = (nodeName: string, text: RegExp) => (l: LogLine) =>
  l.json?.node === 'debug' && l.json.nodeName === nodeName && text.test(String(l.json.msg));

export async function startNodeRed(site: TestSite, opts: { clock?: string; env?: NodeJS.ProcessEnv; name?: string } = {}): Promise<NodeRedProcess> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    SMARTSPACE_CONFIG: site.configPath,
    SMARTSPACE_SECRETS_FILE: site.secretsPath,
    SMARTSPACE_NODE_RED_PORT: String(port),
    ...(opts.clock ? { SMARTSPACE_NODE_RED_CLOCK: opts.clock } : {}),
    ...opts.env,
  };
  const settings = loadNodeRedSite({ configPath: site.configPath, secretsPath: site.secretsPath, env: { ...process.env, ...env } });
  const proc = startProcess(opts.name ?? 'node-red', 'node_modules/node-red/red.js', ['--settings', 'config/node-red/settings.cjs'], { env });
  await proc.waitForLog(logMsg('Started flows'), 60_000);
  const url = `http://127.0.0.1:${port}`;
  return {
    proc,
    settings,
    url,
    async login() {
      const r = await fetch(`${url}/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          client_id: 'node-red-admin',
          grant_type: 'password',
          scope: '*',
          username: settings.adminUser,
          password: settings.adminPassword,
        }),
      });
      if (r.status !== 200) throw new Error(`Node-RED login: HTTP ${r.status} ${await r.text()}`);
      return ((await r.json()) as { access_token: string }).access_token;
    },
    stop: () => proc.stop(),
  };
}
