// The access list on disk (<dataDir>/acl.json), so that a reboot without network still opens
// doors. Written atomically (temp file, fsync, rename); read back only through the same
// schema and signature checks as a list from MQTT (done by the caller, AccessList.offer).
import { readFileSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { ensurePrivateDir, PRIVATE_FILE_MODE, tightenIfExists } from '../../runtime/private-files.ts';
import { AccessList } from '../../contracts/payloads.ts';
import type { AccessList as AccessListPayload } from '../../contracts/payloads.ts';

const CHECK = TypeCompiler.Compile(AccessList);

export type AclFileRead = { ok: true; list: AccessListPayload } | { ok: false; reason: 'missing' | 'unreadable' | 'not-json' | 'schema' };

export class AclFile {
  readonly path: string;
  readonly #dir: string;
  #writing: Promise<void> = Promise.resolve();
  #pending: AccessListPayload | undefined;

  constructor(dataDir: string) {
    this.#dir = dataDir;
    this.path = join(dataDir, 'acl.json');
  }

  read(): AclFileRead {
    let text: string;
    try {
      tightenIfExists(this.path);
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      return { ok: false, reason: (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'unreadable' };
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return { ok: false, reason: 'not-json' };
    }
    return CHECK.Check(value) ? { ok: true, list: value } : { ok: false, reason: 'schema' };
  }

  /**
   * Queues a write; when lists arrive faster than the disk, only the newest is written.
   * Resolves when that list (or a newer one) is on disk.
   */
  write(list: AccessListPayload): Promise<void> {
    const idle = this.#pending === undefined;
    this.#pending = list;
    if (idle) this.#writing = this.#writing.catch(() => undefined).then(() => this.#drain());
    return this.#writing;
  }

  /** Resolves when every queued write has finished (failures are reported by `write`). */
  flush(): Promise<void> {
    return this.#writing.catch(() => undefined);
  }

  async #drain(): Promise<void> {
    // Boxed, so that whatever was thrown is rethrown as is, never mistaken for "no failure".
    let failure: { err: unknown } | undefined;
    while (this.#pending) {
      const list = this.#pending;
      this.#pending = undefined;
      try {
        await this.#writeAtomic(JSON.stringify(list));
        failure = undefined;
      } catch (err) {
        failure = { err };
      }
    }
    if (failure) throw failure.err;
  }

  async #writeAtomic(text: string): Promise<void> {
    ensurePrivateDir(this.#dir);
    const tmp = `${this.path}.${process.pid}.tmp`;
    // A temp file left by a crash keeps its mode on open: removed first, so it is created 0600.
    await unlink(tmp).catch(() => undefined);
    const fh = await open(tmp, 'w', PRIVATE_FILE_MODE);
    try {
      await fh.writeFile(text, 'utf8');
      await fh.sync();
    } finally {
      await fh.close();
    }
    try {
      await rename(tmp, this.path);
    } catch (err) {
      await unlink(tmp).catch(() => undefined);
      throw err;
    }
    // fsync the directory so the rename itself survives a power cut.
    const dh = await open(this.#dir, 'r');
    try {
      await dh.sync().catch(() => undefined);
    } finally {
      await dh.close();
    }
  }
}
