// `smartspace report --month YYYY-MM`: the monthly usage report for a municipality or funders,
// from the site's history store (works while the services run): as a PDF printed by Chromium
// (the same page as GET /api/reports/monthly.html), as that page, or as CSV. Chromium is the one
// the tests use (Debian's chromium through playwright-core); where it is missing the command says
// so, and the page's own Print → Save as PDF in any browser gives the same document.
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Analytics } from '../../services/analytics/analytics.ts';
import { funderReport, reportCsv } from '../../services/analytics/report.ts';
import { CSV_BOM } from '../../services/analytics/csv.ts';
import { reportPage } from '../../services/analytics/report-page.ts';
import { exportWords } from '../../services/analytics/export-words.ts';
import { createHistoryStore } from '../../services/history/history.ts';
import { matches } from '../../contracts/patterns.ts';
import { EXIT, UsageError, siteConfigPath, type CliCommand } from '../command.ts';
import { parseFlags } from '../flags.ts';
import { loadSite } from '../site.ts';

const usage = `usage: smartspace report --month <YYYY-MM> [--lang da|en] [--pdf <file>] [--html <file>] [--csv <file>] [--config <site.yaml>]

The monthly usage report: visits, unique members, desk utilisation within opening hours, peak,
against last month and the same month last year. --pdf prints it on A4 with Chromium
(CHROMIUM_PATH, default /usr/bin/chromium); --html writes the page to print from any browser;
--csv the day-by-day table. Without a file flag the CSV goes to standard output. --lang: the
site's language (site.language) when not given.`;

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/** Prints `html` to an A4 PDF with Chromium; returns an error message instead of throwing. */
export async function printPdf(html: string, out: string, chromiumPath: string): Promise<string | null> {
  if (!existsSync(chromiumPath)) {
    return `no Chromium at ${chromiumPath} (install Debian's chromium, or set CHROMIUM_PATH). Use --html and your browser's Print → Save as PDF instead.`;
  }
  let chromium: typeof import('playwright-core').chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch {
    return "playwright-core is not installed here (it drives Chromium). Use --html and your browser's Print → Save as PDF instead.";
  }
  // Headless and off the network: the page has everything in it.
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    await page.route('**/*', (route) => route.abort());
    await page.setContent(html, { waitUntil: 'load' });
    await page.pdf({ path: out, format: 'A4', preferCSSPageSize: true, printBackground: true });
    return null;
  } finally {
    await browser.close();
  }
}

export const report: CliCommand = {
  name: 'report',
  summary: 'the monthly usage report as PDF, a page to print, or CSV',
  usage,
  async run(args, io) {
    const { values: f } = parseFlags(args, {
      config: { type: 'string' },
      month: { type: 'string' },
      lang: { type: 'string' },
      pdf: { type: 'string' },
      html: { type: 'string' },
      csv: { type: 'string' },
    });
    if (!f.month) throw new UsageError('--month is required, e.g. --month 2026-11');
    if (!matches('month', f.month)) throw new UsageError(`--month: expected YYYY-MM, got "${f.month}"`);
    if (f.lang !== undefined && f.lang !== 'da' && f.lang !== 'en') throw new UsageError(`--lang: da or en, got "${f.lang}"`);
    const site = loadSite(siteConfigPath(f.config, io), io);
    const { lang } = exportWords(f.lang, site.config.site.language);
    const store = await createHistoryStore(site.config, site.secrets);
    let data;
    try {
      data = await funderReport(new Analytics(site.config, store), site.config, f.month);
    } finally {
      await store.close();
    }
    const at = (p: string) => resolve(io.cwd, p);
    if (f.csv) writeFileSync(at(f.csv), CSV_BOM + reportCsv(data, lang));
    if (f.html) writeFileSync(at(f.html), reportPage(data, lang));
    if (f.pdf) {
      const failed = await printPdf(reportPage(data, lang), at(f.pdf), io.env.CHROMIUM_PATH ?? DEFAULT_CHROMIUM);
      if (failed) {
        io.err(`smartspace report: cannot make the PDF: ${failed}`);
        return EXIT.failed;
      }
    }
    if (!f.csv && !f.html && !f.pdf) io.out(reportCsv(data, lang).trimEnd());
    for (const [kind, file] of [
      ['PDF', f.pdf],
      ['page', f.html],
      ['CSV', f.csv],
    ] as const)
      if (file) io.out(`${kind}: ${at(file)}`);
    return EXIT.ok;
  },
};
