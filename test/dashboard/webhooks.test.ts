// The operator's webhooks panel (under the gateways): each subscription's health, the dead
// letters, and sending one or all again or deleting one, in Danish and English.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DeadLetterView, WebhookSubscriptionView } from '../../contracts/api/index.ts';
import '../../dashboard/src/components/webhooks-panel.ts';
import type { WebhooksPanel } from '../../dashboard/src/components/webhooks-panel.ts';
import { locale } from '../../dashboard/src/words/locale.ts';
import { fakeFetch, settle, text } from './fixtures.ts';

const now = Date.now();
const sub = (over: Partial<WebhookSubscriptionView> = {}): WebhookSubscriptionView => ({
  id: 'booking',
  kinds: ['access.granted', 'occupancy.changed'],
  host: 'book.example:8443',
  pending: 3,
  dead: 1,
  delivered: 41,
  lastOkAt: now - 60_000,
  lastErrorAt: now - 5_000,
  lastError: 'ECONNREFUSED',
  failures: 2,
  ...over,
});
const dead = (over: Partial<DeadLetterView> = {}): DeadLetterView => ({
  id: 5,
  subscription: 'booking',
  type: 'access.granted',
  messageId: 'msg_abc',
  createdAt: now - 3_600_000,
  attempts: 30,
  lastError: 'HTTP 503',
  deadAt: now - 60_000,
  ...over,
});

afterEach(() => {
  locale.reset();
  vi.unstubAllGlobals();
  document.body.replaceChildren();
});

async function mount(answers: Parameters<typeof fakeFetch>[0]): Promise<{ el: WebhooksPanel; calls: ReturnType<typeof fakeFetch>['calls'] }> {
  const f = fakeFetch(answers);
  vi.stubGlobal('fetch', f.fn);
  const el = document.createElement('ss-webhooks');
  document.body.append(el);
  await settle(el);
  return { el, calls: f.calls };
}

describe('webhooks panel', () => {
  it('shows in Danish where each goes, how it is doing and what was given up; sends one again', async () => {
    locale.set('da', false);
    const { el, calls } = await mount([
      { status: 200, body: [sub()] },
      { status: 200, body: [dead()] },
      { status: 200, body: { retried: 1 } },
      { status: 200, body: [sub({ pending: 4, dead: 0 })] },
      { status: 200, body: [] },
    ]);
    const root = el.shadowRoot!;
    const hook = text(root.querySelector('[data-testid="webhook"]'));
    expect(hook).toContain('booking');
    expect(hook).toContain('2 mislykkede forsøg siden sidste levering');
    expect(hook).toContain('book.example:8443');
    expect(hook).toContain('41 leveret · 3 venter');
    expect(hook).toContain('ECONNREFUSED');
    const letter = text(root.querySelector('[data-testid="dead-letter"]'));
    expect(letter).toContain('access.granted → booking');
    expect(letter).toContain('30 forsøg');
    expect(letter).toContain('HTTP 503');

    root.querySelector<HTMLButtonElement>('[data-testid="retry"]')!.click();
    await settle(el);
    expect(calls[2]).toMatchObject({ url: '/api/webhooks/dead/5/retry', init: { method: 'POST' } });
    expect(text(root.querySelector('[role="status"]'))).toBe('1 sendt igen.');
    expect(root.querySelector('[data-testid="dead-letter"]')).toBeNull();
    expect(text(root.querySelector('section'))).toContain('Intet er opgivet.');
  });

  it('in English: deletes one, sends all again, and says when that fails', async () => {
    locale.set('en', false);
    const { el, calls } = await mount([
      { status: 200, body: [sub({ failures: 0, lastError: null })] },
      { status: 200, body: [dead(), dead({ id: 6, type: 'alert' })] },
      { status: 204 },
      { status: 200, body: [sub({ failures: 0 })] },
      { status: 200, body: [dead({ id: 6, type: 'alert' })] },
      { status: 500, body: { error: 'internal', message: 'x' } },
    ]);
    const root = el.shadowRoot!;
    expect(text(root.querySelector('[data-testid="webhook"]'))).toContain('Working');
    expect(root.querySelectorAll('[data-testid="dead-letter"]')).toHaveLength(2);
    root.querySelector<HTMLButtonElement>('[data-testid="delete"]')!.click();
    await settle(el);
    expect(calls[2]).toMatchObject({ url: '/api/webhooks/dead/5', init: { method: 'DELETE' } });
    expect(root.querySelectorAll('[data-testid="dead-letter"]')).toHaveLength(1);
    root.querySelector<HTMLButtonElement>('[data-testid="retry-all"]')!.click();
    await settle(el);
    expect(calls[5]).toMatchObject({ url: '/api/webhooks/dead/retry', init: { method: 'POST' } });
    expect(text(root.querySelector('[role="status"]'))).toBe('That did not work. Try again.');
  });

  it('says when none are set up', async () => {
    locale.set('en', false);
    const { el } = await mount([
      { status: 200, body: [] },
      { status: 200, body: [] },
    ]);
    expect(text(el.shadowRoot!.querySelector('section'))).toContain('No webhooks are set up');
  });
});
