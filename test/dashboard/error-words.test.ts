// Every code of the error catalogue (contracts/errors.ts) has words of its own in Danish and in
// English (the typecheck says so too: `satisfies Record<ErrorCode, string>`), and a refusal is
// told by its code before its status.
import { describe, it, expect } from 'vitest';
import { API_ERROR_CODES } from '../../contracts/errors.ts';
import { en } from '../../dashboard/src/words/en.ts';
import { da } from '../../dashboard/src/words/da.ts';
import { ApiRequestError } from '../../dashboard/src/api.ts';
import { errorCode } from '../../dashboard/src/error-words.ts';

describe('error words', () => {
  it('has Danish and English words for every code the services send', () => {
    for (const code of API_ERROR_CODES) {
      expect(en.errors.reason[code], `en ${code}`).toMatch(/\S/);
      expect(da.errors.reason[code], `da ${code}`).toMatch(/\S/);
      expect(da.errors.reason[code], `da ${code} is translated`).not.toBe(en.errors.reason[code]);
    }
  });

  it('takes the code when the catalogue has it, the status when not', () => {
    expect(errorCode(new ApiRequestError(401, 'invalid-token', ''))).toBe('invalid-token');
    expect(errorCode(new ApiRequestError(503, 'history-unavailable', ''))).toBe('history-unavailable');
    expect(errorCode(new ApiRequestError(0, 'network', ''))).toBe('network');
    expect(errorCode(new ApiRequestError(403, 'something-new', ''))).toBe('not-allowed');
    expect(errorCode(new ApiRequestError(502, 'http-502', ''))).toBe('server');
    expect(errorCode(new Error('x'))).toBe('other');
  });
});
