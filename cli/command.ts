// The admin CLI's vocabulary: each `smartspace <name>` is one CliCommand in cli/commands/,
// listed in cli/commands/index.ts. A command writes through `io` (tests capture it), returns
// its exit code, and throws UsageError for a bad flag or argument (exit 2, with its usage).
import type { SiteConfig } from '../config/schema.ts';

export interface CliIO {
  out(line: string): void;
  err(line: string): void;
  /** Asks a question on a terminal; absent when stdin is not one (then flags must say it all). */
  ask?(question: string, opts?: { secret?: boolean }): Promise<string>;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export interface CliCommand {
  name: string;
  /** One line for `smartspace help`. */
  summary: string;
  /** The usage lines, printed by `smartspace help <name>` and after a UsageError. */
  usage: string;
  run(args: string[], io: CliIO): Promise<number>;
}

/** A bad flag or argument: exit code 2, the message and the command's usage. */
export class UsageError extends Error {}

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** The site a command works on: --config, else SMARTSPACE_CONFIG, else the installed site. */
export const DEFAULT_CONFIG = '/etc/smartspace/site.yaml';

export function siteConfigPath(flag: string | undefined, io: Pick<CliIO, 'env'>): string {
  return flag ?? io.env.SMARTSPACE_CONFIG ?? DEFAULT_CONFIG;
}

export type { SiteConfig };
