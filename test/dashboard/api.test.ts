import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, ApiRequestError, onSessionEnded } from '../../dashboard/src/api.ts';
import { errorCode } from '../../dashboard/src/error-words.ts';
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

  it('still knows what kind of failure it was when the body says nothing', async () => {
    vi.stubGlobal('fetch', fakeFetch([{ status: 429, body: '<html>slow down</html>' }]).fn);
    const err = await failure(api.unlock('front'));
    expect([err.status, err.code]).toEqual([429, 'http-429']);
    expect(errorCode(err)).toBe('rate-limited');
  });

  it('tells the app when the session ended, but not when a login is refused', async () => {
    const ended = vi.fn();
    onSessionEnded(ended);
    const unauth = { status: 401, body: { error: 'unauthenticated', message: 'Log in first.' } };
    vi.stubGlobal('fetch', fakeFetch([{ status: 401, body: { error: 'invalid-credentials', message: 'Wrong.' } }, unauth, unauth]).fn);
    await failure(api.login('a@b.dk', 'x'));
    expect(ended).not.toHaveBeenCalled();
    await failure(api.desks());
    await failure(api.unlock('front'));
    expect(ended).toHaveBeenCalledTimes(2);
    onSessionEnded(null);
  });

  it('pages back through events with the cursor it was given', async () => {
    const fetch = fakeFetch([{ status: 200, body: { items: [], next: null } }]);
    vi.stubGlobal('fetch', fetch.fn);
    await api.events(200, 'MTc0OTA1:ev/1');
    expect(fetch.calls[0]?.url).toBe('/api/events?limit=200&before=MTc0OTA1%3Aev%2F1');
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
