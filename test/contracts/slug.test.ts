import { describe, expect, it } from 'vitest';
import { slug } from '../../contracts/patterns.ts';
import { slugId } from '../../services/http/admin.ts';

describe('slug: one readable id from a name', () => {
  it('spells out æ ø å instead of dropping them', () => {
    expect(slug('Anna Østergård')).toBe('anna-oestergaard');
    expect(slug('Karen Sørensen')).toBe('karen-soerensen');
    expect(slug('ÆBLEHAVEN Øst Å')).toBe('aeblehaven-oest-aa');
    expect(slug('Mødelokale 2')).toBe('moedelokale-2');
    expect(slug('A\u030Abent')).toBe('aabent'); // å typed as a and a combining ring
  });

  it('takes other accents off through NFKD, and spells the letters NFKD keeps', () => {
    expect(slug('Café Müller – Zoë Ñandú')).toBe('cafe-muller-zoe-nandu');
    expect(slug('Straße Łódź')).toBe('strasse-lodz');
  });

  it('keeps only a-z, 0-9 and single dashes, never a dash at either end, within the length', () => {
    expect(slug('  --Hello,   World!--  ')).toBe('hello-world');
    expect(slug('a'.repeat(39) + ' øx', 40)).toBe('a'.repeat(39));
    expect(slug('Ø'.repeat(30)).length).toBeLessThanOrEqual(40);
    expect(slug('日本')).toBe('');
  });

  it('is what plan and site ids are made of', () => {
    expect(slugId('Åbent kontor', () => false)).toBe('aabent-kontor');
    expect(slugId('Åbent kontor', (id) => id === 'aabent-kontor')).toBe('aabent-kontor-2');
    expect(slugId('日本', () => false, 'plan')).toBe('plan');
  });
});
