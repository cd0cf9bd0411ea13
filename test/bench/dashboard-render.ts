// Dashboard benchmark: prints numbers, asserts nothing.
//   node --import tsx test/bench/dashboard-render.ts
// 1. Size: the built dashboard's JavaScript, gzipped (target ≤ 150 KB).
// 2. Render: the built dashboard in Chromium on a 500-desk floor, fed by a fake API and live
//    stream served from here; one desk changes per live message and the page records, with
//    User Timing marks (performance.mark / measure), the time from the message arriving to the
//    DOM updated (script), updated and laid out (the render; target ≤ 16 ms), and the next frame
//    painted (which includes waiting for that frame), p50 / p99 over a few hundred updates, on
//    the host overview and on the floor-plan screen (plan + desk table).
// BENCH_UPDATES (default 300) sets the number of updates per screen.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { build } from 'vite';
import type { Page } from 'playwright-core';
import type { DeskView, DoorView, EventView, GatewayView, LiveMessage, Me, SiteView } from '../../contracts/api/index.ts';
import { launchChromium } from '../helpers/browser.ts';
import { summarise, line } from './stats.ts';

const UPDATES = Number(process.env.BENCH_UPDATES ?? 300);
const WARMUP = 30;
const DESKS = 500;
const COLUMNS = 25;

// --- 1. build and size ---------------------------------------------------------------------

const outDir = mkdtempSync(join(tmpdir(), 'smartspace-dashboard-'));
await build({ configFile: new URL('../../dashboard/vite.config.ts', import.meta.url).pathname, logLevel: 'warn', build: { outDir, emptyOutDir: true } });

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}
const gzKb = (files: string[]) => files.reduce((sum, f) => sum + gzipSync(readFileSync(f), { level: 9 }).length, 0) / 1024;
const appJs = filesUnder(join(outDir, 'assets')).filter((f) => f.endsWith('.js'));
const appKb = gzKb(appJs);
console.log(
  `dashboard JS, gzipped                          ${appKb.toFixed(1)} KB in ${appJs.length} file(s)  target <= 150 KB: ${appKb <= 150 ? 'met' : 'MISSED'}`,
);
console.log(`  service worker (sw.js), gzipped              ${gzKb([join(outDir, 'sw.js')]).toFixed(1)} KB`);

// --- 2. a 500-desk site behind a fake API --------------------------------------------------

const ZONES = Array.from({ length: 5 }, (_, i) => ({ id: `zone-${i + 1}`, name: `Zone ${i + 1}` }));
const desks: DeskView[] = Array.from({ length: DESKS }, (_, i) => ({
  id: `d${String(i + 1).padStart(3, '0')}`,
  name: `Desk ${i + 1}`,
  zone: ZONES[Math.floor(i / (DESKS / ZONES.length))]!.id,
  x: 100 + (i % COLUMNS) * 150,
  y: 110 + Math.floor(i / COLUMNS) * 90 + Math.floor(i / (DESKS / ZONES.length)) * 60,
  occupied: i % 3 === 0,
  since: Date.now() - (i % 240) * 60_000,
}));
const site: SiteView = {
  id: 'bench',
  name: 'Benchmark Bay',
  timeZone: 'Europe/Copenhagen',
  floor: { width: 100 + COLUMNS * 150, height: Math.max(...desks.map((d) => d.y)) + 100 },
  zones: ZONES,
};
const now = Date.now();
const doors: DoorView[] = ['front', 'meeting'].map((id, i) => ({
  id,
  name: id === 'front' ? 'Front door' : 'Meeting room',
  gateway: 'gw-main',
  gatewayOnline: true,
  canUnlock: true,
  state: { v: 1, ts: now, door: id, lock: 'locked', contact: 'closed', mode: 'normal', alarms: i === 1 ? ['held-open'] : [] },
}));
const events: EventView[] = Array.from({ length: 30 }, (_, i) => ({
  id: `ev-${String(i).padStart(6, '0')}`,
  ts: now - i * 60_000,
  door: 'front',
  doorName: 'Front door',
  type: 'access',
  decision: i % 7 === 0 ? 'denied' : 'granted',
  reason: i % 7 === 0 ? 'unknown-credential' : 'ok',
  via: 'card',
  memberName: i % 7 === 0 ? undefined : `Member ${i}`,
}));
const gateways: GatewayView[] = [{ id: 'gw-main', name: 'Cupboard Pi', online: true, lastSeen: now, aclVersion: 7, outboxDepth: 0 }];
const me: Me = { id: 'host', name: 'Bench Host', email: 'host@bench.example', role: 'host', presenceOptIn: true };

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webmanifest': 'application/manifest+json',
};
const streams = new Set<ServerResponse>();

function json(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  const path = (req.url ?? '/').split('?')[0]!;
  switch (path) {
    case '/api/me':
      return json(res, me);
    case '/api/site':
      return json(res, site);
    case '/api/doors':
      return json(res, doors);
    case '/api/desks':
      return json(res, desks);
    case '/api/events':
      return json(res, { items: events, next: null });
    case '/api/live': {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      const snapshot: LiveMessage = { type: 'snapshot', doors, desks, events, gateways };
      res.write(`data: ${JSON.stringify(snapshot)}\n\n`);
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }
  }
  // Static files, and index.html for the app's own paths (as the services do).
  const file = normalize(join(outDir, path));
  const found = file.startsWith(outDir) && statSync(file, { throwIfNoEntry: false })?.isFile();
  const target = found ? file : join(outDir, 'index.html');
  res.writeHead(200, { 'content-type': TYPES[extname(target)] ?? 'application/octet-stream' });
  res.end(readFileSync(target));
}

const server = createServer(handle);
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

function broadcast(msg: LiveMessage): void {
  for (const res of streams) res.write(`data: ${JSON.stringify(msg)}\n\n`);
}

// In the page, before the app: every EventSource's `onmessage` is wrapped, so that for a desk
// update the page marks its arrival, lets the app handle it, waits (in microtasks, so no other
// task or frame can slip in) for the app shell and every panel showing desks to finish
// rendering, marks "scripted", forces style and layout of the changed desk, marks "laid out",
// and after the next animation frame (a timeout behind it) marks "painted"; the part from that
// frame's start to "painted" is the frame's own style, layout and paint, without the wait for it.
const INSTRUMENT = `(() => {
  const Native = window.EventSource;
  const app = () => document.querySelector('ss-app');
  const panels = () => [...app().shadowRoot.querySelectorAll('ss-floor-plan, ss-desk-list')];
  const findDesk = (id) => {
    for (const host of app().shadowRoot.querySelectorAll('ss-floor-plan')) {
      const g = host.shadowRoot.querySelector('[data-desk="' + id + '"]');
      if (g) return g;
    }
    return null;
  };
  let n = 0;
  window.EventSource = class extends Native {
    set onmessage(handler) {
      super.onmessage = handler && ((ev) => {
        const m = /^[{]"type":"desk","desk":[{]"id":"([^"]+)"/.exec(ev.data);
        if (!m) return handler.call(this, ev);
        const i = ++n;
        performance.mark('arrived-' + i);
        handler.call(this, ev);
        app().updateComplete
          .then(() => Promise.all(panels().map((p) => p.updateComplete)))
          .then(() => {
            performance.mark('scripted-' + i);
            performance.measure('update-script', 'arrived-' + i, 'scripted-' + i);
            findDesk(m[1])?.getBoundingClientRect();
            performance.mark('laid-out-' + i);
            performance.measure('update-layout', 'arrived-' + i, 'laid-out-' + i);
            requestAnimationFrame(() => {
              performance.mark('frame-' + i);
              setTimeout(() => {
                performance.mark('painted-' + i);
                performance.measure('update-paint', 'arrived-' + i, 'painted-' + i);
                performance.measure('frame-paint', 'frame-' + i, 'painted-' + i);
                window.__benchDone = i;
              }, 0);
            });
          });
      });
    }
    get onmessage() {
      return super.onmessage;
    }
  };
})();`;

async function measure(page: Page, label: string): Promise<void> {
  await page.evaluate(() => performance.clearMeasures());
  // (In-page code as strings: this file is type-checked for Node, without the DOM.)
  let n = await page.evaluate<number>('window.__benchDone ?? 0');
  for (let i = 0; i < WARMUP + UPDATES; i++) {
    const d = desks[(i * 37) % DESKS]!;
    d.occupied = !d.occupied;
    d.since = Date.now();
    broadcast({ type: 'desk', desk: { ...d } });
    n += 1;
    await page.waitForFunction(`window.__benchDone === ${n}`, undefined, { polling: 'raf' });
    if (i === WARMUP - 1) await page.evaluate(() => performance.clearMeasures());
  }
  const timings = await page.evaluate(() => ({
    script: performance.getEntriesByName('update-script', 'measure').map((m) => m.duration),
    layout: performance.getEntriesByName('update-layout', 'measure').map((m) => m.duration),
    paint: performance.getEntriesByName('update-paint', 'measure').map((m) => m.duration),
    framePaint: performance.getEntriesByName('frame-paint', 'measure').map((m) => m.duration),
  }));
  console.log(line(`${label}: message → DOM updated (script)`, summarise(timings.script)));
  console.log(line(`${label}: message → DOM laid out`, summarise(timings.layout), 'ms', { p99: 16 }));
  console.log(line(`${label}: message → next frame painted`, summarise(timings.paint)));
  console.log(line(`${label}:   of which frame start → painted`, summarise(timings.framePaint)));
}

const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.addInitScript(INSTRUMENT);
  await page.goto(base + '/');
  await page.waitForSelector('[data-live=live]');
  await page.waitForFunction(
    `document.querySelector('ss-app')?.shadowRoot?.querySelector('ss-floor-plan')?.shadowRoot?.querySelectorAll('[data-desk]').length === ${DESKS}`,
  );
  console.log(`render on a ${DESKS}-desk floor (Chromium ${browser.version()}, ${UPDATES} updates after ${WARMUP} warm-up, 1280×800)`);
  await measure(page, 'host overview');
  await page.click('nav a[data-route=floor]');
  await page.waitForSelector('main[data-route=floor]');
  await page.waitForFunction(`!!document.querySelector('ss-app')?.shadowRoot?.querySelector('ss-desk-list')`);
  await measure(page, 'floor plan + desk table');
} finally {
  await browser.close();
  for (const res of streams) res.end();
  server.close();
  rmSync(outDir, { recursive: true, force: true });
}
