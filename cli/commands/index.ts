// Every `smartspace <command>`, in the order `smartspace help` lists them.
import type { CliCommand } from '../command.ts';
import { check } from './check.ts';
import { importMembers } from './import.ts';
import { init } from './init.ts';
import { resetPassword } from './reset-password.ts';

export const COMMANDS: readonly CliCommand[] = [init, check, importMembers, resetPassword];
