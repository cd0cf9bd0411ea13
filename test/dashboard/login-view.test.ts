import { afterEach, describe, expect, it, vi } from 'vitest';
import '../../dashboard/src/components/login-view.ts';
import type { LoginView } from '../../dashboard/src/components/login-view.ts';
import { fakeFetch, text } from './fixtures.ts';

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

  it('shows the server’s message when the login is refused', async () => {
    const message = 'Wrong email or password.';
    const fetch = fakeFetch([{ status: 401, body: { error: 'invalid-credentials', message } }]);
    vi.stubGlobal('fetch', fetch.fn);
    const el = await mount();
    fill(el, 'mette@example.dk', 'wrong');
    await submit(el);
    expect(fetch.calls[0]?.url).toBe('/api/login');
    expect(fetch.calls[0]?.init?.method).toBe('POST');
    expect(fetch.calls[0]?.init?.credentials).toBe('same-origin');
    expect(JSON.parse(String(fetch.calls[0]?.init?.body))).toEqual({ email: 'mette@example.dk', password: 'wrong' });
    expect(text(el.shadowRoot!.querySelector('[data-testid=login-error]'))).toBe(message);
    expect(el.shadowRoot!.querySelector<HTMLInputElement>('#password')!.value).toBe('');
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
