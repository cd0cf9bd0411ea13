// `smartspace migrate`: the schema version and pending migrations of each database, and applies
// them (the services also migrate at start; this is the same, run by hand and shown first).
import { EXIT, type CliCommand } from '../command.ts';
import { loadLayout, parseFlags } from '../backup/args.ts';
import { siteRunning } from '../backup/in-use.ts';
import { applyPending, databaseStatus } from '../backup/migrate.ts';

export const migrateCommand: CliCommand = {
  name: 'migrate',
  summary: 'shows and applies pending database migrations (a copy of each database is kept first)',
  usage: [
    'usage: smartspace migrate [--config <site.yaml>] [--dry-run]',
    '',
    '  --config   the site (default: $SMARTSPACE_CONFIG, else /etc/smartspace/site.yaml)',
    '  --dry-run  show each database’s schema version and pending migrations, change nothing',
    '',
    'Before a database is migrated, a copy of it is kept beside it as <file>.v<version>.bak.',
    'Stop the site first; the services migrate at start too, keeping the same copy.',
  ].join('\n'),
  async run(args, io) {
    const { values } = parseFlags(args, { config: { type: 'string' }, 'dry-run': { type: 'boolean' } });
    const layout = loadLayout(values.config, io);
    const status = databaseStatus(layout);
    const width = Math.max(...status.map((s) => s.db.name.length));
    for (const s of status) {
      const name = s.db.name.padEnd(width);
      if (!s.exists) io.out(`${name}  none here (not on this machine, or not started yet): ${s.db.path}`);
      else if (s.current > s.latest) io.out(`${name}  schema ${s.current}, NEWER than this smartspace knows (${s.latest})  ${s.db.path}`);
      else if (s.pending.length === 0) io.out(`${name}  schema ${s.current}, up to date  ${s.db.path}`);
      else {
        io.out(`${name}  schema ${s.current} → ${s.latest}  ${s.db.path}`);
        for (const m of s.pending) io.out(`${' '.repeat(width)}    pending ${m.version}${m.name ? `: ${m.name}` : ''}`);
      }
    }
    const newer = status.filter((s) => s.current > s.latest);
    if (newer.length > 0) {
      io.err(
        `smartspace migrate: ${newer.map((s) => s.db.name).join(', ')} made by a newer smartspace: install that release (or restore a backup of this one)`,
      );
      return EXIT.failed;
    }
    const todo = status.filter((s) => s.pending.length > 0);
    if (todo.length === 0) {
      io.out('nothing to migrate');
      return EXIT.ok;
    }
    if (values['dry-run']) {
      io.out(`dry run: ${todo.length} database(s) would be migrated; nothing changed`);
      return EXIT.ok;
    }
    const running = await siteRunning(layout);
    if (running) {
      io.err(`smartspace migrate: the site looks running: ${running}. Stop it first; nothing was changed`);
      return EXIT.failed;
    }
    for (const s of todo) {
      const copy = applyPending(s);
      io.out(`${s.db.name}: migrated to schema ${s.latest}${copy ? `; the database as it was is kept at ${copy}` : ''}`);
    }
    return EXIT.ok;
  },
};
