// The error catalogue (contracts/errors.ts) is the only list of codes: every code the services'
// source fails a request with is in it, and nothing in services/ builds an HttpError by hand
// (which would bypass the typed `apiError`). Its words: test/dashboard/error-words.test.ts.
import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { API_ERRORS, API_ERROR_CODES, apiError, isApiErrorCode, HttpError } from '../../contracts/errors.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function sources(dir: string): Array<{ file: string; text: string }> {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => {
      const file = join(e.parentPath, e.name);
      return { file: file.slice(ROOT.length), text: readFileSync(file, 'utf8') };
    });
}

/** Codes passed as a literal to apiError / errorBody, or sent as `error: '…'`, in services/. */
function codesUsed(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const patterns = [/\bapiError\(\s*'([^']+)'/g, /\berrorBody\(\s*'([^']+)'/g, /\berror:\s*'([^']+)'/g];
  for (const { file, text } of sources('services')) {
    for (const re of patterns) for (const m of text.matchAll(re)) found.set(m[1]!, [...(found.get(m[1]!) ?? []), file]);
  }
  return found;
}

describe('error catalogue', () => {
  const used = codesUsed();

  it('finds the throw sites (the scan itself works)', () => {
    expect(used.size).toBeGreaterThan(20);
    expect(used.get('door-offline')).toEqual(expect.arrayContaining(['services/http/door-commands.ts']));
  });

  it('has every code the services fail a request with', () => {
    const unknown = [...used].filter(([code]) => !isApiErrorCode(code)).map(([code, files]) => `${code} (${files.join(', ')})`);
    expect(unknown).toEqual([]);
  });

  it('has no code nobody sends', () => {
    const all = sources('services')
      .map((s) => s.text)
      .join('\n');
    expect(API_ERROR_CODES.filter((code) => !all.includes(`'${code}'`))).toEqual([]);
  });

  it('is the only way the services make an HttpError', () => {
    const byHand = sources('services')
      .filter(({ text }) => /new HttpError\(/.test(text))
      .map((s) => s.file);
    expect(byHand).toEqual([]);
  });

  it('answers a code at its status, or at one it also allows', () => {
    expect(apiError('door-offline', 'x')).toMatchObject({ statusCode: 503, status: 503, code: 'door-offline', message: 'x' });
    expect(apiError('unknown-door', 'x', 400).statusCode).toBe(400);
    expect(apiError('unknown-door', 'x').toJSON()).toEqual({ error: 'unknown-door', message: 'x' });
    expect(apiError('forbidden', 'x')).toBeInstanceOf(HttpError);
    for (const [code, e] of Object.entries(API_ERRORS)) expect([code, e.status >= 400 && e.status < 600]).toEqual([code, true]);
  });
});
