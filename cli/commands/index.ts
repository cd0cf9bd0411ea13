// Every `smartspace <command>`, in the order `smartspace help` lists them.
import type { CliCommand } from '../command.ts';

export const COMMANDS: readonly CliCommand[] = [];
