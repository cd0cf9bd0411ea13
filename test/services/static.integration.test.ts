import { describe, it, expect, afterEach } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UserConfig } from 'vite';
import { startApp, type Running } from './helpers.ts';

let r: Running | undefined;
/** What a browser sends when it navigates to a page. */
const PAGE = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };
const dirs: string[] = [];
afterEach(async () => {
  await r?.stop();
  r = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('dashboard files', () => {
  it('answers 503 with how to build it when the dashboard is not built', async () => {
    r = await startApp();
    for (const path of ['/', '/doors']) {
      const res = await fetch(`${r.base}${path}`, { headers: PAGE });
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await res.text()).toBe('dashboard not built: run npm run build');
    }
    expect((await fetch(`${r.base}/api/health`)).status).toBe(200);
  });

  it('serves the build, falls back to index.html for app routes, and keeps /api 404s as JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ss-dash-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>smartspace</title>');
    writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
    r = await startApp({ app: { dashboardDir: dir } });
    const root = await fetch(`${r.base}/`);
    expect(root.status).toBe(200);
    expect(await root.text()).toContain('<title>smartspace</title>');
    const js = await fetch(`${r.base}/assets/app.js`);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    const deep = await fetch(`${r.base}/desks/d01`, { headers: PAGE });
    expect(deep.status).toBe(200);
    expect(deep.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await deep.text()).toContain('<title>smartspace</title>');
    const api = await fetch(`${r.base}/api/nope`, { headers: PAGE });
    expect(api.status).toBe(404);
    expect(await api.json()).toEqual({ error: 'not-found', message: 'No such API route.' });
    // The security headers ride on every file as on the API (services/http/security.ts).
    for (const [what, res] of [
      ['index', root],
      ['asset', js],
      ['app route', deep],
      ['api 404', api],
    ] as const) {
      expect([what, res.headers.get('x-frame-options'), res.headers.get('x-content-type-options')]).toEqual([what, 'DENY', 'nosniff']);
      expect(res.headers.get('content-security-policy'), what).toContain("frame-ancestors 'none'");
    }
  });

  it('answers 404 for unknown paths that are not a page a browser navigates to', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ss-dash-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>smartspace</title>');
    r = await startApp({ app: { dashboardDir: dir } });
    // A script or a monitor (Accept */* or none) gets a 404, not the app's HTML with a 200.
    for (const [path, headers] of [
      ['/status', {}],
      ['/prometheus', { accept: '*/*' }],
      ['/healthz', { accept: 'application/json' }],
      // A file that is not there is a 404 even for a browser.
      ['/robots.txt', PAGE],
      ['/assets/missing.js', PAGE],
      ['/floor/plan.png', PAGE],
    ] as const) {
      const res = await fetch(`${r.base}${path}`, { headers });
      expect([path, res.status]).toEqual([path, 404]);
      expect(await res.text()).not.toContain('<title>smartspace</title>');
    }
    // HEAD navigations to a screen still get the page.
    expect((await fetch(`${r.base}/floor`, { method: 'HEAD', headers: PAGE })).status).toBe(200);
    // POST to a screen path is no page.
    expect((await fetch(`${r.base}/floor`, { method: 'POST', headers: PAGE })).status).toBe(404);
  });

  it('never serves a source map, even one left in the build folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ss-dash-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>smartspace</title>');
    writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(dir, 'assets', 'app.js.map'), '{"version":3,"sourcesContent":["secret source"]}');
    r = await startApp({ app: { dashboardDir: dir } });
    expect((await fetch(`${r.base}/assets/app.js`)).status).toBe(200);
    for (const path of ['/assets/app.js.map', '/assets/app.js.MAP', '/assets/app.js.map?x=1', '/assets/other.js.map']) {
      const res = await fetch(`${r.base}${path}`);
      expect([path, res.status]).toEqual([path, 404]);
      const body = await res.text();
      expect(body).not.toContain('secret source');
      expect(body).not.toContain('<title>smartspace</title>');
    }
  });

  it('the production build makes no source maps', async () => {
    const config: UserConfig = (await import('../../dashboard/vite.config.ts')).default;
    expect(config.build?.sourcemap ?? false).toBe(false);
  });
});
