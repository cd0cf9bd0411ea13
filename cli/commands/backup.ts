// `smartspace backup`: one archive of the whole site, safe while it runs (cli/backup/create.ts).
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EXIT, type CliCommand } from '../command.ts';
import { version } from '../main.ts';
import { loadLayout, parseFlags } from '../backup/args.ts';
import { createBackup, defaultArchiveName } from '../backup/create.ts';

export const backupCommand: CliCommand = {
  name: 'backup',
  summary: 'one archive of the databases, config, secrets and Node-RED flows (safe while running)',
  usage: [
    'usage: smartspace backup [--config <site.yaml>] [--out <file or dir>]',
    '',
    '  --config  the site (default: $SMARTSPACE_CONFIG, else /etc/smartspace/site.yaml)',
    '  --out     the archive to write, or a directory (ends in /) for smartspace-<site>-<time>.tar.zst (default: here)',
    '',
    'The archive holds the secrets: it is written readable by its owner only (0600); keep it so.',
  ].join('\n'),
  async run(args, io) {
    const { values } = parseFlags(args, { config: { type: 'string' }, out: { type: 'string' } });
    const layout = loadLayout(values.config, io);
    const now = new Date();
    const name = defaultArchiveName(layout.config.site.id, now);
    const given = values.out === undefined ? undefined : resolve(io.cwd, values.out);
    // A directory (one that exists, or a path ending in /) gets the default name inside it.
    const isDir = values.out !== undefined && (values.out.endsWith('/') || (existsSync(given!) && statSync(given!).isDirectory()));
    const out = given === undefined ? join(io.cwd, name) : isDir ? join(given, name) : given;
    const started = performance.now();
    let result;
    try {
      result = await createBackup(layout, out, { version: version(), now });
    } catch (err) {
      io.err(`smartspace backup: ${(err as Error).message}`);
      return EXIT.failed;
    }
    const { manifest } = result;
    for (const [path, db] of Object.entries(manifest.databases)) io.out(`  ${db.name.padEnd(16)} schema ${db.schema}  ${path}`);
    const others = manifest.files.length - Object.keys(manifest.databases).length;
    io.out(`  ${others} other files (config, secrets, access lists, Node-RED)`);
    io.out(
      `backup of site ${manifest.site.id} written to ${result.path} (${(result.bytes / 1e6).toFixed(1)} MB, ${((performance.now() - started) / 1000).toFixed(1)} s)`,
    );
    io.out('It holds the site key and every password: it is readable by its owner only (0600); store it as safely as the site itself.');
    return EXIT.ok;
  },
};
