// `smartspace restore <archive>`: the site back from a backup, all or nothing (cli/backup/restore.ts).
import { resolve } from 'node:path';
import { EXIT, UsageError, siteConfigPath, type CliCommand } from '../command.ts';
import { parseFlags } from '../backup/args.ts';
import { RestoreRefused, restoreBackup } from '../backup/restore.ts';

export const restoreCommand: CliCommand = {
  name: 'restore',
  summary: 'the site back from a backup archive (stop the site first)',
  usage: [
    'usage: smartspace restore <archive> [--config <site.yaml>] [--data <dir>] [--force]',
    '',
    '  --config  where the site config goes (default: $SMARTSPACE_CONFIG, else /etc/smartspace/site.yaml);',
    '            secrets.yaml beside it (or $SMARTSPACE_SECRETS_FILE)',
    '  --data    put the data under <dir> (<dir>/services, <dir>/gateway-<id>), e.g. moving into Docker (/data)',
    '  --force   replace a site that is there already',
    '',
    'Checks the archive (manifest, checksums) before it changes anything, refuses while the site runs',
    '(a database of it is open, or the services answer on their HTTP port), migrates databases made',
    'by an older smartspace.',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseFlags(args, { config: { type: 'string' }, data: { type: 'string' }, force: { type: 'boolean' } }, 1);
    const archive = positionals[0];
    if (!archive) throw new UsageError('which archive? smartspace restore <archive>');
    const configPath = resolve(io.cwd, siteConfigPath(values.config, io));
    try {
      const r = await restoreBackup({
        archive: resolve(io.cwd, archive),
        configPath,
        env: io.env,
        force: values.force ?? false,
        dataDir: values.data === undefined ? undefined : resolve(io.cwd, values.data),
      });
      const m = r.manifest;
      io.out(`restored site ${m.site.id} (${m.site.name}) from a backup of ${m.createdAt} by smartspace ${m.version}:`);
      for (const path of r.restored) io.out(`  ${path}`);
      for (const mig of r.migrated) io.out(`  ${mig.name} database migrated from schema ${mig.from} to ${mig.to}`);
      if (r.chowned) io.out('  files given to the owner of their directories (the site user)');
      io.out('Start the site again (services, gateways, Node-RED).');
      return EXIT.ok;
    } catch (err) {
      if (!(err instanceof RestoreRefused)) throw err;
      io.err(`smartspace restore: ${err.message}`);
      io.err('Nothing was changed.');
      return EXIT.failed;
    }
  },
};
