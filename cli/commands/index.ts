// Every `smartspace <command>`, in the order `smartspace help` lists them.
import type { CliCommand } from '../command.ts';
import { backupCommand } from './backup.ts';
import { restoreCommand } from './restore.ts';
import { migrateCommand } from './migrate.ts';

export const COMMANDS: readonly CliCommand[] = [backupCommand, restoreCommand, migrateCommand];
