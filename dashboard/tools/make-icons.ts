// Renders the dashboard's PNG icons from its hand-written SVGs with Debian's Chromium, so no
// image tool or download is needed. Run after changing an SVG, and commit the PNGs:
//   node --import tsx dashboard/tools/make-icons.ts
import { readFileSync } from 'node:fs';
import { launchChromium } from '../../test/helpers/browser.ts';

const DIR = new URL('../public/icons/', import.meta.url).pathname;

/** [source SVG, output PNG, size, transparent corners]. */
const ICONS: Array<[string, string, number, boolean]> = [
  ['icon.svg', 'icon-192.png', 192, true],
  ['icon.svg', 'icon-512.png', 512, true],
  ['maskable.svg', 'maskable-512.png', 512, false],
  // iOS puts its own rounded mask on a full square.
  ['maskable.svg', 'apple-touch-icon.png', 180, false],
];

const browser = await launchChromium();
try {
  for (const [source, target, size, transparent] of ICONS) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    const svg = readFileSync(DIR + source, 'utf8').replace('<svg ', `<svg width="${size}" height="${size}" `);
    await page.setContent(`<!doctype html><style>html,body{margin:0;background:transparent}svg{display:block}</style>${svg}`);
    await page.screenshot({ path: DIR + target, omitBackground: transparent });
    await page.close();
    console.log(`${target} ${size}×${size}`);
  }
} finally {
  await browser.close();
}
