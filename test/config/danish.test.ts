// The Danish of the dashboard and of the demo (issue 13 finding 12): one spelling of the PIN word
// (“pinkode”, as Retskrivningsordbogen writes it), Danish quotation marks (»…«) and never
// English ones, and a demo site whose doors, desks, zones and plans are named in Danish.
import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const WORDS = new URL('../../dashboard/src/words/', import.meta.url).pathname;
const DEMO = new URL('../../config/demo/', import.meta.url).pathname;
const DANISH_FILES = [join(WORDS, 'da.ts'), ...readdirSync(join(WORDS, 'da')).map((f) => join(WORDS, 'da', f))];

/** The Danish words files' code without comments: what ends up on screen. */
function text(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.replace(/^\s*\/\/.*$/, '').replace(/\s\/\/ .*$/, ''));
}

describe('Danish words', () => {
  it('spell the PIN word one way: pinkode', () => {
    const found: string[] = [];
    for (const f of DANISH_FILES) text(f).forEach((l, i) => /PIN-kod|pin-kod/.test(l) && found.push(`${f}:${i + 1}: ${l.trim()}`));
    expect(found).toEqual([]);
    const all = DANISH_FILES.map((f) => text(f).join('\n')).join('\n');
    expect(all).toMatch(/pinkode/i);
  });

  it('quote with »…«, never with English quotation marks', () => {
    const found: string[] = [];
    for (const f of DANISH_FILES) text(f).forEach((l, i) => /[“”"]/.test(l) && found.push(`${f}:${i + 1}: ${l.trim()}`));
    expect(found).toEqual([]);
  });
});

describe('the demo site, a Danish space', () => {
  const site = parse(readFileSync(join(DEMO, 'site.yaml'), 'utf8')) as {
    site: { language: string };
    doors: { name: string }[];
    desks: { name: string }[];
    zones: { name: string }[];
    gateways: { name: string }[];
  };
  const seed = parse(readFileSync(join(DEMO, 'members.yaml'), 'utf8')) as { plans: { name: string }[]; history: { closureName: string } };

  it('names its doors, desks, zones and plans in Danish', () => {
    expect(site.site.language).toBe('da');
    expect(site.doors.map((d) => d.name)).toEqual(['Hoveddør', 'Mødelokale']);
    expect(site.zones.map((z) => z.name)).toEqual(['Åbent kontor', 'Stillerum']);
    expect(site.desks.map((d) => d.name)).toEqual(Array.from({ length: 16 }, (_, i) => `Skrivebord ${i + 1}`));
    const names = [...site.doors, ...site.desks, ...site.zones, ...site.gateways, ...seed.plans].map((x) => x.name);
    names.push(seed.history.closureName);
    const english = /\b(door|desk|room|space|open|quiet|meeting|front|resident|weekdays|host|cupboard|holiday)\b/i;
    expect(names.filter((n) => english.test(n))).toEqual([]);
  });
});
