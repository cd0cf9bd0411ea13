import { afterEach, describe, expect, it, vi } from 'vitest';
import '../../dashboard/src/components/login-view.ts';
import type { LoginView } from '../../dashboard/src/components/login-view.ts';
import { locale } from '../../dashboard/src/words/locale.ts';
import { fakeFetch, jsonBody, text } from './fixtures.ts';

async function mount(): Promise<LoginView> {
  const el = document.createElement('ss-login');
  document.body.append(el);
  await el.updateComplete;
  return el;
}

function fill(el: LoginView, email: string, password: string): void {
  el.shadowRoot!.querySelector<HTMLInputElement>('#email')!.value = email;
  el.shadowRoot!.querySelector<HTMLInputElement>('#password')!.value = password;
}

async function submit(el: LoginView): Promise<void> {
  el.shadowRoot!.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
  for (let i = 0; i < 10; i++) await Promise.resolve();
  await new Promise((r) => setTimeout(r, 0));
  await el.updateComplete;
}

afterEach(() => {
  locale.reset();
  vi.unstubAllGlobals();
  document.body.replaceChildren();
});

describe('login view', () => {
  it('has labelled email and password fields and a submit button', async () => {
    const el = await mount();
    const root = el.shadowRoot!;
    expect(text(root.querySelector('label[for=email]'))).toBe('Email');
    expect(root.querySelector('#email')?.getAttribute('type')).toBe('email');
    expect(text(root.querySelector('label[for=password]'))).toBe('Password');
    expect(root.querySelector('#password')?.getAttribute('type')).toBe('password');
    expect(root.querySelector('[data-testid=login-error]')?.getAttribute('role')).toBe('alert');
  });

  it('says in words of its own why the login was refused', async () => {
    const fetch = fakeFetch([{ status: 401, body: { error: 'invalid-credentials', message: 'Wrong email or password.' } }]);
    vi.stubGlobal('fetch', fetch.fn);
    const el = await mount();
    fill(el, 'mette@example.dk', 'wrong');
    await submit(el);
    expect(fetch.calls[0]?.url).toBe('/api/login');
    expect(fetch.calls[0]?.init?.method).toBe('POST');
    expect(fetch.calls[0]?.init?.credentials).toBe('same-origin');
    expect(jsonBody(fetch.calls[0]?.init)).toEqual({ email: 'mette@example.dk', password: 'wrong' });
    expect(text(el.shadowRoot!.querySelector('[data-testid=login-error]'))).toBe('Could not log in: wrong email or password.');
    expect(el.shadowRoot!.querySelector<HTMLInputElement>('#password')!.value).toBe('');
  });

  it('speaks Danish when asked, error included', async () => {
    locale.set('da', false);
    vi.stubGlobal('fetch', fakeFetch([{ status: 429, body: { error: 'rate-limited', message: 'Too many attempts. Try again in 1 minute.' } }]).fn);
    const el = await mount();
    const root = el.shadowRoot!;
    expect(text(root.querySelector('label[for=password]'))).toBe('Adgangskode');
    expect(text(root.querySelector('button[type=submit]'))).toBe('Log ind');
    fill(el, 'mette@example.dk', 'x');
    await submit(el);
    expect(text(root.querySelector('[data-testid=login-error]'))).toBe('Kunne ikke logge ind: for mange forsøg. Vent et minut, og prøv igen.');
    locale.set('en', false);
    await el.updateComplete;
    expect(text(root.querySelector('[data-testid=login-error]'))).toMatch(/^Could not log in: too many attempts/);
  });

  it('says why the login is back when the session ended', async () => {
    const el = await mount();
    el.notice = 'Your session has ended.';
    await el.updateComplete;
    expect(text(el.shadowRoot!.querySelector('[data-testid=login-notice]'))).toBe('Your session has ended.');
  });

  it('announces a logged-in user', async () => {
    const me = { id: 'm-mette', name: 'Mette Holm', email: 'mette@example.dk', role: 'member', presenceOptIn: false };
    vi.stubGlobal('fetch', fakeFetch([{ status: 200, body: me }]).fn);
    const el = await mount();
    const seen = vi.fn();
    el.addEventListener('logged-in', (ev) => seen((ev as CustomEvent).detail));
    fill(el, 'mette@example.dk', 'right');
    await submit(el);
    expect(seen).toHaveBeenCalledWith(me);
    expect(text(el.shadowRoot!.querySelector('[data-testid=login-error]'))).toBe('');
  });

  it('asks for both fields before sending', async () => {
    const fetch = fakeFetch([]);
    vi.stubGlobal('fetch', fetch.fn);
    const el = await mount();
    fill(el, '', '');
    await submit(el);
    expect(fetch.calls).toHaveLength(0);
    expect(text(el.shadowRoot!.querySelector('[data-testid=login-error]'))).toBe('Enter your email and password.');
  });
});
