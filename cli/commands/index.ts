// Every `smartspace <command>`, in the order `smartspace help` lists them.
import type { CliCommand } from '../command.ts';
import { backupCommand } from './backup.ts';
import { check } from './check.ts';
import { importMembers } from './import.ts';
import { init } from './init.ts';
import { migrateCommand } from './migrate.ts';
import { report } from './report.ts';
import { resetPassword } from './reset-password.ts';
import { restoreCommand } from './restore.ts';
import { rotateGatewayKey } from './rotate-gateway-key.ts';
import { osdpCommand } from './osdp.ts';
import { networkBroker, networkKeygen } from './network.ts';

export const COMMANDS: readonly CliCommand[] = [
  init,
  check,
  importMembers,
  resetPassword,
  rotateGatewayKey,
  osdpCommand,
  backupCommand,
  restoreCommand,
  migrateCommand,
  report,
  networkKeygen,
  networkBroker,
];
