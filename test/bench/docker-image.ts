// Docker image size (issue 10: services + gateway image <= 250 MB uncompressed). No Docker engine
// runs here, so this stages the app the way the Dockerfile does (scripts/release/stage.sh with
// SMARTSPACE_OMIT_OPTIONAL=1, then deploy/docker/services-only.sh for the default image) and
// adds the runtime base, which cannot be pulled here: Alpine (a documented constant, below), the
// packages the Dockerfile adds (an estimate, below) and the node binary (measured: the official
// Node binary this runs on, from the npm `node` package; the image copies the musl build of the
// same version from node:24-alpine, of about the same size). Baseline: the base alone.
// Run: npm run build && node --import tsx test/bench/docker-image.ts (part of npm run bench).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MB = 1e6;
const TARGET_MB = 250;
/** alpine:3.22, linux/amd64, uncompressed as `docker images` shows it: 8.3 MB (Docker Hub's
 *  alpine tag page lists 3.6 MB compressed; the minirootfs tarball unpacks to ~8 MB). */
const ALPINE_MB = 8.3;
/** apk add libstdc++ libgcc tini libgpiod tzdata: installed sizes from Alpine's package index
 *  (libstdc++ ~2.6 MB, tzdata ~3.3 MB, the rest < 0.5 MB together). An estimate. */
const APK_PACKAGES_MB = 6.4;

function duBytes(dir: string): number {
  return Number(execFileSync('du', ['-sb', dir], { encoding: 'utf8' }).split('\t')[0]);
}

const tmp = mkdtempSync(join(tmpdir(), 'docker-image-'));
try {
  const env = { ...process.env, SMARTSPACE_OMIT_OPTIONAL: '1' };
  const full = join(tmp, 'node-red');
  const app = join(tmp, 'app');
  execFileSync(join(ROOT, 'scripts/release/stage.sh'), [full], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  cpSync(full, app, { recursive: true, verbatimSymlinks: true });
  execFileSync(join(ROOT, 'deploy/docker/services-only.sh'), [app], { env, stdio: ['ignore', 'ignore', 'inherit'] });

  const nodeMb = statSync(process.execPath).size / MB;
  const baseMb = ALPINE_MB + APK_PACKAGES_MB + nodeMb;
  const appMb = duBytes(app) / MB;
  const nodeRedMb = duBytes(full) / MB;
  const fmt = (n: number) => `${n.toFixed(1)} MB`;
  console.log(`docker image (uncompressed, estimated: no Docker engine here, the base is not pulled)`);
  console.log(`  baseline, runtime base alone: ${fmt(baseMb)} = alpine:3.22 ${ALPINE_MB} MB (documented) + apk packages ${APK_PACKAGES_MB} MB (estimate)`);
  console.log(`                                + node ${process.version} binary ${fmt(nodeMb)} (measured: ${process.execPath})`);
  console.log(
    `  services+gateway image: ${fmt(baseMb + appMb)} (app ${fmt(appMb)}); target <= ${TARGET_MB} MB: ${baseMb + appMb <= TARGET_MB ? 'met' : 'NOT met'}`,
  );
  console.log(`  node-red image:         ${fmt(baseMb + nodeRedMb)} (app ${fmt(nodeRedMb)}; no target)`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
