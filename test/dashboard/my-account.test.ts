// A member's own account screen (issue 13, finding 10): when the plan lets them in, in the
// site's time and the reader's language; their cards and passes; changing their password;
// erasing themselves after a confirm step.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MyAccess } from '../../contracts/api/index.ts';
import '../../dashboard/src/components/my-account-panel.ts';
import { dayRange, type MyAccountPanel } from '../../dashboard/src/components/my-account-panel.ts';
import { locale } from '../../dashboard/src/words/locale.ts';
import { fakeFetch, settle, text } from './fixtures.ts';

const ACCESS: MyAccess = {
  timeZone: 'Europe/Copenhagen',
  plan: {
    id: 'flex',
    name: 'Flex',
    windows: [
      { days: [1, 2, 3, 4, 5], from: '07:00', to: '19:00' },
      { days: [6, 7], from: '10:00', to: '14:00' },
    ],
    doors: [{ id: 'front', name: 'Hoveddør' }],
    validFrom: null,
    validTo: '2026-12-31',
  },
  credentials: [
    {
      id: 1,
      member: 'sofie',
      kind: 'card',
      tail: 'a1776a',
      numberTail: '0A01',
      label: 'Blåt kort',
      plan: null,
      validFrom: null,
      validTo: null,
      status: 'live',
      createdAt: 0,
      revokedAt: null,
    },
    {
      id: 2,
      member: 'sofie',
      kind: 'pin',
      numberTail: null,
      tail: '00beef',
      label: null,
      plan: 'flex',
      validFrom: '2026-12-03',
      validTo: '2026-12-04',
      status: 'live',
      createdAt: 0,
      revokedAt: null,
    },
  ],
  passesLeft: 1,
};

async function mount(answers: Parameters<typeof fakeFetch>[0]) {
  const api = fakeFetch(answers);
  vi.stubGlobal('fetch', api.fn);
  const el = document.createElement('ss-my-account');
  el.afterErase = vi.fn();
  document.body.append(el);
  await settle(el);
  return { el, api, root: el.shadowRoot!, q: (sel: string) => el.shadowRoot!.querySelector<HTMLElement>(sel) };
}

function type(el: MyAccountPanel, id: string, value: string) {
  const input = el.shadowRoot!.querySelector<HTMLInputElement>(`#${id}`)!;
  input.value = value;
  input.dispatchEvent(new Event('input'));
}

afterEach(() => {
  locale.reset();
  vi.unstubAllGlobals();
  document.body.replaceChildren();
});

describe('my account', () => {
  it('says when my plan lets me in, in Danish, with my cards and the passes left', async () => {
    locale.set('da', false);
    const { root, api } = await mount([{ status: 200, body: ACCESS }]);
    expect(api.calls.map((c) => c.url)).toEqual(['/api/me/access']);
    expect(text(root.querySelector('[data-testid=plan-name]'))).toBe('Abonnement: Flex');
    expect([...root.querySelectorAll('[data-testid=windows] li')].map(text)).toEqual(['man.–fre. 07:00–19:00', 'lør., søn. 10:00–14:00']);
    expect(text(root.querySelector('[data-testid=my-access]'))).toMatch(/Døre: Hoveddør/);
    expect(text(root.querySelector('[data-testid=my-access]'))).toMatch(/Tiderne er stedets lokale tid \(Europe\/Copenhagen\)/);
    expect([...root.querySelectorAll('[data-credential]')].map(text)).toEqual([
      'Blåt kort …0A01 virker',
      'Pinkode virker · Fra 3. december 2026 · Til og med 4. december 2026',
    ]);
    expect(text(root.querySelector('[data-testid=passes-left]'))).toBe('1 dagskort tilbage');
  });

  it('says so when I have no plan', async () => {
    const { root } = await mount([{ status: 200, body: { ...ACCESS, plan: null, credentials: [], passesLeft: 0 } }]);
    expect(text(root.querySelector('[data-testid=no-plan]'))).toMatch(/no plan/);
  });

  it('changes my password with the current one, and says what went wrong', async () => {
    const { el, api, q } = await mount([
      { status: 200, body: ACCESS },
      { status: 400, body: { error: 'wrong-password', message: 'x', statusCode: 400 } },
      { status: 204 },
    ]);
    q('[data-action=change-password]')!.click();
    await settle(el);
    expect(text(q('[data-error-for=pw-current]'))).toBe('Enter your current password.');
    type(el, 'pw-current', 'not-it');
    type(el, 'pw-next', 'a-new-password');
    q('[data-action=change-password]')!.click();
    await settle(el);
    expect(text(q('[data-testid=password-note]'))).toBe('Could not change your password: the current password is not right.');
    q('[data-action=change-password]')!.click();
    await settle(el);
    expect(text(q('[data-testid=password-note]'))).toBe('Password changed. You are logged out on your other devices.');
    expect(api.calls.slice(1).map((c) => [c.url, c.init?.method, c.init?.body])).toEqual([
      ['/api/me/password', 'PUT', JSON.stringify({ current: 'not-it', password: 'a-new-password' })],
      ['/api/me/password', 'PUT', JSON.stringify({ current: 'not-it', password: 'a-new-password' })],
    ]);
  });

  it('erases me only after I confirm', async () => {
    const { el, api, q } = await mount([
      { status: 200, body: ACCESS },
      { status: 200, body: { pseudonym: 'erased-1', events: 0, audit: 0, history: 0 } },
    ]);
    q('[data-action=erase]')!.click();
    await settle(el);
    expect(text(q('[data-testid=erase-confirm]'))).toMatch(/^Erase your account now\?/);
    q('[data-action=erase-cancel]')!.click();
    await settle(el);
    expect(api.calls).toHaveLength(1);
    q('[data-action=erase]')!.click();
    await settle(el);
    q('[data-action=erase-confirm]')!.click();
    await settle(el);
    expect(api.calls.at(-1)!.url).toBe('/api/me/erase');
    expect(api.calls.at(-1)!.init?.body).toBe(JSON.stringify({ confirm: 'erase' }));
    expect(el.afterErase).toHaveBeenCalledOnce();
  });

  it('names a window’s days compactly', () => {
    expect(dayRange([1, 2, 3, 4, 5], 'en-GB')).toBe('Mon–Fri');
    expect(dayRange([1, 3, 5], 'en-GB')).toBe('Mon, Wed, Fri');
    expect(dayRange([6, 7], 'en-GB')).toBe('Sat, Sun');
  });
});
