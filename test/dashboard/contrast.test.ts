// Text colours against what they sit on, from the tokens in page.css: WCAG 2.2 SC 1.4.3
// asks 4.5:1 for text (contrast ratio and relative luminance as WCAG defines them).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const html = readFileSync(resolve('dashboard/src/page.css'), 'utf8'); // from the repository root, where vitest runs;
const tokens = Object.fromEntries([...html.matchAll(/--ss-([a-z-]+):\s*(#[0-9a-f]{6})/gi)].map((m) => [m[1]!, m[2]!]));

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

const c = (name: string) => {
  if (name.startsWith('#')) return name;
  const v = tokens[name];
  if (!v) throw new Error(`no token --ss-${name}`);
  return v;
};

/** [text, background, where]. */
const PAIRS: Array<[string, string, string]> = [
  ['text', 'bg', 'page text'],
  ['text', 'surface', 'panel text'],
  ['text', 'floor', 'floor plan'],
  ['text', 'free-fill', 'free desk'],
  ['text', '#f4cfc6', 'occupied desk'],
  ['text', '#e6e8eb', 'unknown desk'],
  ['muted', 'surface', 'secondary text'],
  ['muted', 'bg', 'secondary text on the page'],
  ['muted', 'open-tint', 'alert hint'],
  ['muted', 'unlocked-tint', 'warning hint'],
  ['#ffffff', 'header', 'header and nav'],
  ['#ffffff', 'accent', 'buttons'],
  ['#ffffff', 'accent-dark', 'button hover'],
  ['#ffffff', 'locked', 'locked badge'],
  ['#ffffff', 'unlocked', 'unlocked badge'],
  ['#ffffff', 'open', 'alarm badge, alarm note'],
  ['#ffffff', 'door-open', 'open door badge'],
  ['door-open', 'surface', 'opened feedback'],
  ['text', 'on-dark-accent', 'alert count in the nav'],
  ['accent', 'surface', 'secondary buttons, links'],
  ['accent', 'accent-tint', 'secondary button hover'],
  ['accent', 'floor', 'zone labels'],
  ['accent-dark', 'accent-tint', 'visitor initials'],
  ['locked', 'surface', 'live indicator, relocked'],
  ['unlocked', 'surface', 'reconnecting, unlocked feedback'],
  ['unlocked', 'unlocked-tint', 'warning label'],
  ['open', 'surface', 'errors'],
  ['open', 'open-tint', 'urgent label'],
  ['unknown', 'surface', 'unknown badge'],
  ['text', 'unlocked-tint', 'login notice'],
];

describe('colour contrast', () => {
  it('finds the tokens', () => {
    expect(Object.keys(tokens).length).toBeGreaterThan(15);
  });

  it.each(PAIRS)('%s on %s (%s) is at least 4.5:1', (fg, bg) => {
    expect(contrast(c(fg), c(bg))).toBeGreaterThanOrEqual(4.5);
  });

  it('gives focus rings at least 3:1 against what they sit on (SC 1.4.11)', () => {
    expect(contrast(c('focus'), c('surface'))).toBeGreaterThanOrEqual(3);
    expect(contrast(c('focus'), c('bg'))).toBeGreaterThanOrEqual(3);
    expect(contrast(c('on-dark-accent'), c('header'))).toBeGreaterThanOrEqual(3);
  });
});
