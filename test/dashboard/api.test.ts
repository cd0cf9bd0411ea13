import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, ApiRequestError } from '../../dashboard/src/api.ts';
import { fakeFetch } from './fixtures.ts';

afterEach(() => vi.unstubAllGlobals());

async function failure(p: Promise<unknown>): Promise<ApiRequestError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiRequestError);
  return err as ApiRequestError;
}

describe('api', () => {
  it('turns a refusal into an error with the server’s code and message', async () => {
    vi.stubGlobal('fetch', fakeFetch([{ status: 503, body: { error: 'door-offline', message: 'The door is offline.' } }]).fn);
    const err = await failure(api.unlock('front'));
    expect([err.status, err.code, err.message]).toEqual([503, 'door-offline', 'The door is offline.']);
  });

  it('has words of its own when the body has none', async () => {
    vi.stubGlobal('fetch', fakeFetch([{ status: 429, body: '<html>slow down</html>' }]).fn);
    const err = await failure(api.unlock('front'));
    expect(err.status).toBe(429);
    expect(err.message).toMatch(/Too many attempts/);
  });

  it('says the server could not be reached when fetch fails', async () => {
    vi.stubGlobal('fetch', fakeFetch([new TypeError('Failed to fetch')]).fn);
    const err = await failure(api.me());
    expect([err.status, err.code]).toEqual([0, 'network']);
    expect(err.message).not.toMatch(/TypeError|Failed to fetch/);
  });

  it('posts without a body where there is none, and reads 204 as done', async () => {
    const fetch = fakeFetch([{ status: 202, body: { commandId: 'c1', action: 'unlock', exp: 1 } }, { status: 204 }]);
    vi.stubGlobal('fetch', fetch.fn);
    await expect(api.unlock('front')).resolves.toEqual({ commandId: 'c1', action: 'unlock', exp: 1 });
    await expect(api.logout()).resolves.toBeUndefined();
    expect(fetch.calls.map((c) => [c.url, c.init?.method, c.init?.body])).toEqual([
      ['/api/doors/front/unlock', 'POST', undefined],
      ['/api/logout', 'POST', undefined],
    ]);
  });
});
