import { afterEach, describe, expect, it } from 'vitest';
import { da } from '../../dashboard/src/words/da.ts';
import { en } from '../../dashboard/src/words/en.ts';
import { LANGS, STORAGE_KEY, locale, pickLang, t } from '../../dashboard/src/words/locale.ts';

/** Every leaf of a catalogue: path → string, or the function's arity. */
function leaves(obj: object, prefix = ''): Map<string, string | number> {
  const out = new Map<string, string | number>();
  for (const [key, value] of Object.entries(obj)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else if (typeof value === 'function') out.set(path, (value as (...a: unknown[]) => string).length);
    else for (const [p, v] of leaves(value as object, path)) out.set(p, v);
  }
  return out;
}

/** Words that are the same in both languages. */
const SAME_IN_BOTH = new Set([
  'live.live',
  'routes.gateways',
  'gateways.title',
  'webhooks.title',
  'gateways.gateway',
  'gateways.status',
  'gateways.online',
  'gateways.offline',
  'feed.via.remote',
  'devices.state.ok',
  'gateways.colFirmware',
  // Alert channels: the same words in Danish.
  'alerts.channel.email',
  'alerts.channel.push',
  'alerts.channel.webhook',
  'door.status.alarm', // Danish too
  'emergency.mode.normal',
  'bookings.book', // »Book« is the Danish verb too
]);

afterEach(() => locale.reset());

describe('message catalogue', () => {
  it('has the same keys, and functions taking the same arguments, in Danish and English', () => {
    const english = leaves(en);
    const danish = leaves(da);
    expect([...danish.keys()].sort()).toEqual([...english.keys()].sort());
    for (const [path, value] of english) {
      if (typeof value === 'number') expect(danish.get(path), path).toBe(value);
      else expect(typeof danish.get(path), path).toBe('string');
    }
  });

  it('takes each group of words from one area file only (a spread would silently drop the other)', async () => {
    for (const lang of ['en', 'da']) {
      const files = import.meta.glob('../../dashboard/src/words/*/*.ts');
      const owners = new Map<string, string[]>();
      for (const [path, load] of Object.entries(files)) {
        if (!path.includes(`/words/${lang}/`)) continue;
        for (const group of Object.values((await load()) as Record<string, object>)) {
          for (const key of Object.keys(group)) owners.set(key, [...(owners.get(key) ?? []), path.split('/').pop()!]);
        }
      }
      const shared = [...owners].filter(([, in_]) => in_.length > 1);
      expect(shared, lang).toEqual([]);
    }
  });

  it('has no empty or untranslated strings', () => {
    const english = leaves(en);
    for (const [path, value] of leaves(da)) {
      if (typeof value !== 'string') continue;
      expect(value.trim(), path).not.toBe('');
      if (!SAME_IN_BOTH.has(path)) expect(value, `${path} is still English`).not.toBe(english.get(path));
    }
  });

  it('puts numbers and names where each language wants them', () => {
    expect(en.desks.zoneFree(3, 10)).toBe('3 of 10 desks free');
    expect(da.desks.zoneFree(3, 10)).toBe('3 af 10 pladser ledige');
    expect(da.door.othersMine(1)).toBe('Én anden dør kan du ikke åbne nu.');
    expect(da.door.othersMine(2)).toBe('2 andre døre kan du ikke åbne nu.');
    expect(en.alerts.denied(4, 'Front door')).toBe('4 denied attempts at Front door within a minute');
  });
});

describe('language choice', () => {
  it('takes the remembered choice, else the first browser language we speak, else English', () => {
    expect(pickLang('da', ['en-US'])).toBe('da');
    expect(pickLang(null, ['da-DK', 'en'])).toBe('da');
    expect(pickLang(null, ['de-DE', 'DA'])).toBe('da');
    expect(pickLang(null, ['en-US'])).toBe('en');
    expect(pickLang(null, ['sv-SE', 'de'])).toBe('en');
    expect(pickLang('klingon', ['da'])).toBe('da');
    expect(pickLang(null, [])).toBe('en');
  });

  it('starts from the browser (English in happy-dom) and remembers a picked language', () => {
    expect(locale.lang).toBe('en');
    expect(t()).toBe(en);
    const heard: string[] = [];
    const off = locale.subscribe((l) => heard.push(l));
    locale.set('da');
    off();
    expect(t()).toBe(da);
    expect(locale.tag).toBe(LANGS.da.tag);
    expect(heard).toEqual(['da']);
    expect(localStorage.getItem(STORAGE_KEY)).toBe('da');
    expect(document.documentElement.lang).toBe('da');
    expect(pickLang(localStorage.getItem(STORAGE_KEY), navigator.languages)).toBe('da');
  });

  it('does not remember a language set without asking to', () => {
    locale.set('da', false);
    expect(localStorage.getItem(STORAGE_KEY)).toBeNull();
  });
});
