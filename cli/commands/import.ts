// `smartspace import members.csv`: members and their cards from a spreadsheet. A dry run unless
// --apply; --apply writes every row in one transaction, and only when no row has an error (or,
// with --skip-errors, the rows without one). The running services notice the commit
// (services/access/external-changes.ts) and send the gateways their new access lists.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { EXIT, UsageError, siteConfigPath, type CliCommand, type CliIO } from '../command.ts';
import { CsvError, parseCsv } from '../csv.ts';
import { parseFlags } from '../flags.ts';
import { applyImport, COLUMNS, planImport } from '../import-plan.ts';
import { cliActor, loadSite, openSiteStore } from '../site.ts';

const usage = `usage: smartspace import <members.csv> [--apply] [--skip-errors] [--config <site.yaml>]

Members and cards from a spreadsheet saved as CSV (UTF-8; "," ";" or tab between cells, as
Excel, LibreOffice or Google Sheets export it). The first row names the columns:
  ${COLUMNS.join(', ')}
name and email are required; role is member (default), host or operator; plan is the id of a
plan made in the dashboard (empty: no plan, no doors); cards are card numbers as the reader
prints them, several separated by spaces or ";"; active is yes (default) or no.
Without --apply nothing changes: each row says what it would do, or its errors. --apply writes
all rows in one go, only when there are no errors; --skip-errors writes the rows without.
Imported members have no password: set one in the dashboard or with smartspace reset-password.`;

export const importMembers: CliCommand = {
  name: 'import',
  summary: 'members and cards from a spreadsheet (CSV): a dry run unless --apply',
  usage,
  run(args, io) {
    // Synchronous (better-sqlite3); a thrown UsageError becomes the rejection runCli expects.
    return Promise.resolve().then(() => runImport(args, io));
  },
};

function runImport(args: string[], io: CliIO): number {
  const { values: f, positionals } = parseFlags(args, { config: { type: 'string' }, apply: { type: 'boolean' }, 'skip-errors': { type: 'boolean' } }, 1);
  const file = positionals[0];
  if (!file) throw new UsageError('the CSV file is required');
  let text: string;
  try {
    text = readFileSync(resolve(io.cwd, file), 'utf8');
  } catch (err) {
    io.err(`smartspace import: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    return EXIT.failed;
  }
  let csv;
  try {
    csv = parseCsv(text);
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    io.err(`smartspace import: ${file}: ${err.message}`);
    return EXIT.failed;
  }
  const site = loadSite(siteConfigPath(f.config, io), io);
  const store = openSiteStore(site.config);
  try {
    const plan = planImport(csv, store, site.secrets.siteKey, site.config.network ? site.secrets.network?.key : undefined);
    const sep = csv.separator === '\t' ? 'tab' : `"${csv.separator}"`;
    io.out(`${file}: ${csv.rows.length} row${csv.rows.length === 1 ? '' : 's'}, separated by ${sep}`);
    // In the file's order: each row's errors, or what it adds.
    const report = [
      ...plan.errors.map((e) => ({ line: e.line, text: `line ${e.line}: ${e.column === 'header' ? '' : `${e.column}: `}${e.reason}` })),
      ...plan.members.map((m) => {
        const cards = m.fingerprints.length;
        const planText = m.plan ?? '(none: no doors until a plan is set)';
        return {
          line: m.line,
          text: `line ${m.line}: add ${m.role} ${m.name} <${m.email}> as ${m.id}, plan ${planText}, ${cards} card${cards === 1 ? '' : 's'}${m.active ? '' : ', suspended'}`,
        };
      }),
    ];
    for (const r of report.sort((a, b) => a.line - b.line)) io.out(r.text);
    if (plan.languageIgnored) io.out('The language column is checked but not stored: the dashboard takes each member’s language from their browser.');
    const bad = plan.badLines.size;
    io.out(`${plan.members.length} to add, ${bad} row${bad === 1 ? '' : 's'} with errors.`);
    if (!f.apply) {
      io.out(
        bad > 0
          ? 'Dry run: nothing changed. Fix the rows above (or use --skip-errors), then --apply.'
          : 'Dry run: nothing changed. Run again with --apply to add them.',
      );
      return bad > 0 ? EXIT.failed : EXIT.ok;
    }
    if (bad > 0 && (!f['skip-errors'] || plan.badLines.has(1))) {
      io.err(
        `smartspace import: nothing written: ${bad} row${bad === 1 ? ' has' : 's have'} errors${plan.badLines.has(1) ? ' (the header)' : ' (--skip-errors writes the others)'}`,
      );
      return EXIT.failed;
    }
    const cards = applyImport(store, plan.members, cliActor(io.env), Date.now());
    io.out(`Added ${plan.members.length} members and ${cards} cards${bad > 0 ? `; skipped ${bad} rows with errors` : ''}.`);
    io.out('Running services send the gateways the new cards within seconds; they have no passwords yet.');
    return EXIT.ok;
  } finally {
    store.close();
  }
}
