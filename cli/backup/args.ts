// Flags of the backup, restore and migrate commands: node:util's parseArgs, its errors turned
// into UsageErrors (exit 2 with the command's usage), and the site config loaded with errors
// that name the bad key.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError, loadSiteConfig } from '../../config/load.ts';
import { UsageError, siteConfigPath, type CliIO } from '../command.ts';
import { siteLayout, type SiteLayout } from './layout.ts';

export function parseFlags<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T, positionals = 0) {
  try {
    const parsed = parseArgs({ args, options, allowPositionals: positionals > 0, strict: true });
    if (parsed.positionals.length > positionals) throw new UsageError(`unexpected argument "${parsed.positionals[positionals]}"`);
    return parsed;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError((err as Error).message);
  }
}

/** The site of --config (or SMARTSPACE_CONFIG, or the installed one); a ConfigError becomes exit 2. */
export function loadLayout(flag: string | undefined, io: CliIO): SiteLayout {
  const path = siteConfigPath(flag, io);
  try {
    return siteLayout(path, loadSiteConfig(path), io.env);
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(err.message);
    throw err;
  }
}
