// `smartspace report`: the monthly report for a funder as a PDF printed by Chromium (Debian's,
// through playwright-core), from the page GET /api/reports/monthly.html serves. The page it came
// from carries the numbers; the PDF is a real A4 PDF with the pages that page prints to.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../cli/main.ts';
import type { CliIO } from '../../cli/command.ts';
import { readSeed, seedMembers } from '../../config/seed.ts';
import { demoHistory } from '../../services/demo-history.ts';
import { Analytics } from '../../services/analytics/analytics.ts';
import { funderReport } from '../../services/analytics/report.ts';
import { SqliteHistoryStore, HISTORY_DB_FILE } from '../../services/history/sqlite-store.ts';
import { makeTestSite, DEMO_DIR, type TestSite } from '../helpers/site.ts';
import { CHROMIUM } from '../helpers/browser.ts';

function captureIO(env: NodeJS.ProcessEnv = {}, cwd = '/'): CliIO & { text: () => string } {
  const lines: string[] = [];
  return { out: (l) => lines.push(l), err: (l) => lines.push(l), env, cwd, text: () => lines.join('\n') };
}

const pdfPages = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length;

describe('smartspace report', () => {
  let site: TestSite;
  let expected: Awaited<ReturnType<typeof funderReport>>;

  beforeAll(async () => {
    site = await makeTestSite();
    mkdirSync(site.config.services.dataDir, { recursive: true });
    const store = new SqliteHistoryStore(join(site.config.services.dataDir, HISTORY_DB_FILE));
    // The demo's made-up weeks up to 1 December 2026: November 2026 is a whole month of them.
    const seed = readSeed(join(DEMO_DIR, 'members.yaml'), site.config);
    const plans = new Map(seed.plans.map((p) => [p.id, p]));
    const members = seedMembers(seed).map((m) => ({ id: m.id, plan: m.plan, doors: plans.get(m.plan)!.doors, anyTime: !plans.get(m.plan)!.windows?.length }));
    await store.write(demoHistory(site.config, { weeks: 8, seed: 2026, now: Date.UTC(2026, 11, 1, 12), members }).points);
    expected = await funderReport(new Analytics(site.config, store), site.config, '2026-11');
    await store.close();
  }, 60_000);
  afterAll(() => site.cleanup());

  it('prints the month to an A4 PDF in Danish, from the page with the numbers', async () => {
    const io = captureIO({ CHROMIUM_PATH: CHROMIUM }, site.dir);
    const code = await runCli(['report', '--month', '2026-11', '--lang', 'da', '--pdf', 'nov.pdf', '--html', 'nov.html', '--config', site.configPath], io);
    expect(io.text()).toBe(`PDF: ${join(site.dir, 'nov.pdf')}\npage: ${join(site.dir, 'nov.html')}`);
    expect(code).toBe(0);
    const html = readFileSync(join(site.dir, 'nov.html'), 'utf8');
    expect(expected.total.visits).toBeGreaterThan(100);
    expect(html).toContain('<h1>Månedlig brugsrapport</h1>');
    expect(html).toContain(`data-kpi="visits"><b>${expected.total.visits.toLocaleString('da-DK')}</b>`);
    expect(html).toContain(`data-kpi="members"><b>${expected.total.uniqueMembers}</b>`);
    const pct = `${(expected.total.utilisation! * 100).toFixed(1).replace('.', ',')} %`;
    expect(html).toContain(`data-kpi="utilisation"><b>${pct}</b>`);
    expect(html.match(/<tr[^>]* data-date="2026-11-\d\d">/g)).toHaveLength(30);
    const pdf = readFileSync(join(site.dir, 'nov.pdf'));
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // A4 portrait: 595 × 842 points.
    const box = /\/MediaBox\s*\[([^\]]+)\]/.exec(pdf.toString('latin1'))![1]!.trim().split(/\s+/).map(Number);
    expect(box[2]).toBeCloseTo(595.3, 0);
    expect(box[3]).toBeCloseTo(841.9, 0);
    // The summary and 30 rows of days: two pages.
    expect(pdfPages(pdf)).toBe(2);
  }, 60_000);

  it('says clearly when there is no Chromium, and how to get the PDF anyway', async () => {
    const io = captureIO({ CHROMIUM_PATH: '/nonexistent/chromium' }, site.dir);
    expect(await runCli(['report', '--month', '2026-11', '--pdf', 'x.pdf', '--config', site.configPath], io)).toBe(1);
    expect(io.text()).toBe(
      "smartspace report: cannot make the PDF: no Chromium at /nonexistent/chromium (install Debian's chromium, or set CHROMIUM_PATH). Use --html and your browser's Print → Save as PDF instead.",
    );
  });

  it('writes the CSV with English headers to standard output, and names a bad month', async () => {
    const io = captureIO({}, site.dir);
    expect(await runCli(['report', '--month', '2026-11', '--lang', 'en', '--config', site.configPath], io)).toBe(0);
    const lines = io.text().split('\r\n');
    expect(lines[0]).toMatch(/^Date,Weekday,Visits,Entries,Unique members,/);
    expect(lines).toHaveLength(1 + 30 + 1);
    const bad = captureIO();
    expect(await runCli(['report', '--month', '2026-13', '--config', site.configPath], bad)).toBe(2);
    expect(bad.text()).toMatch(/^smartspace report: --month: expected YYYY-MM, got "2026-13"/);
  });
});
