// `npm run demo:network`, run as the README tells a reader to: two demo spaces (Klitmøller Kontor,
// Hanstholm Havn) in one network, each with its own Mosquitto, services, gateway and sim, one
// network broker over TLS, every bridge through the demo's cuttable relay. Driven as a person
// types: Lars (a network member of Klitmøller) taps at Hanstholm → granted there as a visitor;
// Hanstholm's internet cut → still granted (its own signed list); restored from another terminal
// (`npm run demo:network -- restore hanstholm`) → the visit is in Lars's own record at
// Klitmøller (its API). Ctrl-C (SIGINT to the process group, as a terminal sends it) → every
// process the demo started is gone, by PID.
// Not time-of-day dependent: the demo's visiting window is every day 00:00–24:00 and its
// Node-RED hours rule does not run here. The compiled processes run (`npm run build` first).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/lib/proc.ts';
import { eventually } from '../helpers/stack.ts';
import type { EventPage } from '../../contracts/api/events.ts';
import type { NetworkOverview } from '../../contracts/api/network.ts';

const run = promisify(execFile);
const BASE = 20_000 + (process.pid % 400) * 50;
const KLIT = `http://127.0.0.1:${BASE + 10}`;
const HANST = `http://127.0.0.1:${BASE + 20}`;

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** A session cookie for a demo login (passwords from the demo's seed files). */
async function logIn(base: string, email: string, password: string): Promise<string> {
  const r = await fetch(`${base}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  expect(r.status).toBe(200);
  return r.headers.get('set-cookie')!.split(';')[0]!;
}

describe('npm run demo:network: two spaces, one network', () => {
  let child: ChildProcess;
  let exited: Promise<number | null>;
  const lines: string[] = [];
  let dir = '';
  let env: NodeJS.ProcessEnv = {};

  /** The first line from index `from` on that matches, waited for. */
  const line = (re: RegExp, from = 0, timeoutMs = 60_000) => eventually(() => lines.slice(from).find((l) => re.test(l)), timeoutMs, `a line matching ${re}`);
  const type = (text: string) => {
    const from = lines.length;
    child.stdin!.write(`${text}\n`);
    return from;
  };
  /** Lars at Hanstholm's front reader: the decision for his visa there (his grant id, never his name). */
  const visitorDecision = async () => {
    const from = type('tap hanstholm lars');
    return line(/hanstholm\/gateway INFO {2}access decision .*member=v\.klitmoller\./, from, 15_000);
  };

  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'dist/node/services/main.js'))) throw new Error('dist/node is missing: run npm run build first');
    dir = mkdtempSync(join(tmpdir(), 'smartspace-demo-network-'));
    env = {
      PATH: `${join(ROOT, 'node_modules/.bin')}:${process.env.PATH}`,
      SMARTSPACE_DEMO_NET_DIR: dir,
      SMARTSPACE_DEMO_NET_PORT: String(BASE),
      // The scripted visitor off: every visitor decision below is one this test asked for.
      SMARTSPACE_DEMO_NET_VISITOR_S: '0',
    };
    child = spawn('npm', ['run', '--silent', 'demo:network'], {
      cwd: ROOT,
      // Its own process group, like a terminal's foreground job: SIGINT reaches npm and the demo.
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    for (const s of [child.stdout!, child.stderr!]) createInterface({ input: s }).on('line', (l) => lines.push(l));
    let ready = false;
    await Promise.race([
      line(/network demo ready/, 0, 240_000).then(() => (ready = true)),
      exited.then((code) => {
        if (!ready) throw new Error(`npm run demo:network exited (${code}) before it was ready:\n${lines.slice(-40).join('\n')}`);
      }),
    ]);
  }, 300_000);

  afterAll(() => {
    // After a failure: nothing the demo started may outlive the test.
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
    for (const m of lines.join('\n').matchAll(/(?:childPid|demoPid)=(\d+)/g)) if (alive(Number(m[1]))) process.kill(Number(m[1]), 'SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('lets a member of one space in at the other, with its internet cut too, and Ctrl-C leaves nothing behind', { timeout: 300_000 }, async () => {
    try {
      // Both sites ready, with their dashboards' addresses printed.
      expect(lines.join('\n')).toContain(`Klitmøller Kontor  http://127.0.0.1:${BASE + 10}/`);
      expect(lines.join('\n')).toContain(`Hanstholm Havn     http://localhost:${BASE + 20}/`);
      // Klitmøller's visa for Lars is on its way through the bridges: tap until Hanstholm knows it.
      const first = await eventually(
        async () => ((await visitorDecision()).includes('decision=granted') ? true : undefined),
        60_000,
        'Lars granted at Hanstholm',
      );
      expect(first).toBe(true);

      // Hanstholm's internet cut: the network broker loses its bridge, the door still decides.
      let from = type('cut hanstholm');
      await line(/internet cut: .*site=hanstholm/, from);
      await line(/network-broker .*(site\.hanstholm.*(closed|disconnect)|Socket error on client site\.hanstholm)/, from, 30_000);
      expect(await visitorDecision()).toMatch(/decision=granted reason=ok/);

      // Restored, this time from another terminal: the bridge is back; the visit reached home
      // (Lars's own record at Klitmøller).
      from = lines.length;
      const restored = await run('npm', ['run', '--silent', 'demo:network', '--', 'restore', 'hanstholm'], { cwd: ROOT, env: { ...process.env, ...env } });
      expect(restored.stdout).toMatch(/internet restored/);
      await line(/New bridge connected .* as site\.hanstholm/, from, 60_000);
      const cookie = await logIn(KLIT, 'lars@kystkontor.dk', 'member-lars');
      const mine = await eventually(
        async () => {
          const r = (await (await fetch(`${KLIT}/api/me/network`, { headers: { cookie } })).json()) as { networkMember: boolean; visits: { site: string }[] };
          return r.visits.some((v) => v.site === 'hanstholm') ? r : undefined;
        },
        30_000,
        "the visit in Lars's record at home",
      );
      expect(mine).toMatchObject({ network: 'vestkyst', networkMember: true });
      // Hanstholm's own feed (what its dashboard shows its host): his visits at the front door,
      // granted by card; he is no member there, so no name, only the space he comes from.
      const host = await logIn(HANST, 'birgitte@hanstholmhavn.dk', 'host-birgitte');
      const r = (await (await fetch(`${HANST}/api/events?door=front&limit=200`, { headers: { cookie: host } })).json()) as EventPage;
      const visits = r.items.filter((e) => e.decision === 'granted' && e.via === 'card' && e.memberName === undefined && e.visitorFrom === 'Klitmøller Kontor');
      expect(visits.length).toBeGreaterThanOrEqual(2);
      // Mette coordinates the network: at Klitmøller she sees both spaces' live desks and usage,
      // Hanstholm's brought by the bridge.
      const mette = await logIn(KLIT, 'mette@kystkontor.dk', 'host-mette');
      const overview = await eventually(
        async () => {
          const o = (await (await fetch(`${KLIT}/api/network`, { headers: { cookie: mette } })).json()) as NetworkOverview;
          return o.spaces.every((s) => s.live !== null && s.usage !== null) ? o : undefined;
        },
        60_000,
        "both spaces' shared figures at the coordinator",
      );
      expect(overview.spaces.map((s) => [s.site, s.self])).toEqual([
        ['klitmoller', true],
        ['hanstholm', false],
      ]);
      expect((await fetch(`${HANST}/api/network`, { headers: { cookie: host } })).status).toBe(403);
    } catch (err) {
      throw new Error(`${(err as Error).message}\n--- demo output (last 60 lines)\n${lines.slice(-60).join('\n')}`, { cause: err });
    }

    // Ctrl-C: everything stops, nothing is left.
    const pids = [...lines.join('\n').matchAll(/(?:childPid|demoPid)=(\d+)/g)].map((m) => Number(m[1]));
    // The demo itself (its relays too), the network broker, and per site Mosquitto, services, gateway, sim.
    expect(pids.length).toBe(1 + 1 + 2 * 4);
    const from = lines.length;
    process.kill(-child.pid!, 'SIGINT');
    // The supervisor stops everything in reverse start order, the network broker last, each in time.
    await line(/supervise INFO {2}process stopped {2}process=network-broker code=0/, from, 60_000);
    await exited;
    await eventually(() => pids.every((p) => !alive(p)), 15_000, 'every process gone');
    expect(lines.slice(from).filter((l) => /process killed|process died/.test(l))).toEqual([]);
    expect(pids.filter(alive)).toEqual([]);
  });
});
