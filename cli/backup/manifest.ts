// manifest.json, the last entry of every backup archive (its checksums are computed as the
// archive is packed): what made it, for which site, the schema version of each database, and
// the size and SHA-256 of every other entry. restore trusts nothing in an archive that the
// manifest does not list with a matching checksum.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Type, type Static } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';

export const MANIFEST_ENTRY = 'manifest.json';
export const ARCHIVE_FORMAT = 'smartspace-backup';
export const ARCHIVE_FORMAT_VERSION = 1;

// Entry paths are the few shapes layout.ts writes: no absolute paths, no "..".
const ENTRY_PATTERN = '^(config|services|node-red|gateways/[A-Za-z0-9][A-Za-z0-9_-]{0,63})/[A-Za-z0-9_.-]*[A-Za-z0-9_-][A-Za-z0-9_.-]*$';
export const ENTRY_PATH = new RegExp(ENTRY_PATTERN);
const EntryPath = Type.String({ pattern: ENTRY_PATTERN });

export const Manifest = Type.Object({
  format: Type.Literal(ARCHIVE_FORMAT),
  formatVersion: Type.Integer({ minimum: 1 }),
  /** smartspace's version (package.json) that made the archive. */
  version: Type.String(),
  createdAt: Type.String(),
  site: Type.Object({ id: Type.String(), name: Type.String() }),
  /** Archive path of each database → its schema version when backed up. */
  databases: Type.Record(Type.String(), Type.Object({ name: Type.String(), schema: Type.Integer({ minimum: 0 }) })),
  files: Type.Array(Type.Object({ path: EntryPath, size: Type.Integer({ minimum: 0 }), sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }) })),
});
export type Manifest = Static<typeof Manifest>;

const CHECK = TypeCompiler.Compile(Manifest);

/** The manifest of an archive, or an error saying why it is not one we can restore. */
export function parseManifest(text: string): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error('manifest.json is not JSON: the archive is damaged');
  }
  if ((raw as { format?: unknown } | null)?.format !== ARCHIVE_FORMAT) throw new Error('not a smartspace backup (manifest.json of another format)');
  const first = CHECK.Errors(raw).First();
  if (first) throw new Error(`manifest.json: ${first.path || '(root)'} ${first.message}: the archive is damaged`);
  const m = raw as Manifest;
  if (m.formatVersion > ARCHIVE_FORMAT_VERSION) {
    throw new Error(
      `the archive has format ${m.formatVersion}, made by smartspace ${m.version}; this smartspace reads format ${ARCHIVE_FORMAT_VERSION}: upgrade first`,
    );
  }
  for (const path of Object.keys(m.databases)) {
    if (!m.files.some((f) => f.path === path)) throw new Error(`manifest.json: database ${path} is not among its files: the archive is damaged`);
  }
  return m;
}

export async function fileDigest(path: string): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { size, sha256: hash.digest('hex') };
}
