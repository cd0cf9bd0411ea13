// Node-RED loads CommonJS without a TypeScript loader, so two bundles are generated from the
// TypeScript sources and committed (npm run build:palette): the palette's contract and the one
// config loader for Node-RED's settings. Building them runs esbuild (a process): hence this tier.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { buildNodeRedSite, buildPalette, NODE_RED_SITE_BUNDLE, PALETTE_BUNDLE } from '../../scripts/build-palette.ts';

describe('generated Node-RED bundles', () => {
  it('node-red/lib/contract.gen.cjs is bundled from contracts/palette.ts as committed', async () => {
    expect(readFileSync(PALETTE_BUNDLE, 'utf8') === (await buildPalette()), 'node-red/lib/contract.gen.cjs is stale: run npm run build:palette').toBe(true);
  });

  it('config/node-red/site-settings.gen.cjs is bundled from config/node-red/site.ts as committed', async () => {
    expect(
      readFileSync(NODE_RED_SITE_BUNDLE, 'utf8') === (await buildNodeRedSite()),
      'config/node-red/site-settings.gen.cjs is stale: run npm run build:palette',
    ).toBe(true);
  });
});
