// Files the processes keep in their data folders hold e-mails, password hashes, audit rows with
// IP addresses, the access list and history: readable by the owner only. Folders 0700, files
// 0600, whatever the umask. A file or folder left looser by an older release (or by hand) is
// tightened when it is opened, and that is reported once per path as a process warning
// (SMARTSPACE_FILE_MODE), so the host knows it was readable before.
import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

const reported = new Set<string>();

function tighten(path: string, mode: number): void {
  let current: number;
  try {
    current = statSync(path).mode & 0o777;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  if ((current & ~mode) === 0) return;
  chmodSync(path, mode);
  if (reported.has(path)) return;
  reported.add(path);
  process.emitWarning(`${path} was mode ${current.toString(8).padStart(4, '0')}, now ${mode.toString(8).padStart(4, '0')}`, {
    code: 'SMARTSPACE_FILE_MODE',
  });
}

/**
 * Creates `dir` as 0700 (missing parents with the usual mode: another user, the services', may
 * have to pass through them), or tightens it to 0700 if it exists looser.
 */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dirname(dir), { recursive: true });
  try {
    mkdirSync(dir, { mode: PRIVATE_DIR_MODE });
  } catch (err) {
    // Something already there: fine if it is a folder; a file in its place fails as mkdir does.
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(dir).isDirectory()) throw err;
  }
  tighten(dir, PRIVATE_DIR_MODE);
}

/** Creates `path` empty as 0600 if it does not exist, or tightens it to 0600 if it is looser. */
export function ensurePrivateFile(path: string): void {
  closeSync(openSync(path, 'a', PRIVATE_FILE_MODE));
  tighten(path, PRIVATE_FILE_MODE);
}

/** Tightens `path` to 0600 if it exists and is looser; creates nothing. */
export function tightenIfExists(path: string): void {
  tighten(path, PRIVATE_FILE_MODE);
}
