import { html, render } from 'lit';
import { describe, expect, it, vi } from 'vitest';
import { ScreenLoader } from '../../dashboard/src/components/screen-loader.ts';
import type { RouteId } from '../../dashboard/src/router.ts';

// The audit screen's chunk does not come (offline after an update, say).
vi.mock('../../dashboard/src/components/audit-panel.ts', () => {
  throw new Error('chunk not found');
});

function host() {
  const updates = { count: 0 };
  const h = { addController: () => {}, removeController: () => {}, requestUpdate: () => void updates.count++, updateComplete: Promise.resolve(true) };
  return { loader: new ScreenLoader(h), updates };
}

function shown(loader: ScreenLoader, route: RouteId): HTMLElement {
  const box = document.createElement('div');
  render(
    loader.render(
      route,
      () => html`<p data-screen>${route}</p>`,
      () => {},
    ),
    box,
  );
  return box;
}

describe('screen loader', () => {
  it('shows a screen of the main chunk at once', () => {
    const { loader } = host();
    loader.load('activity', 'host');
    expect(shown(loader, 'activity').querySelector('[data-screen]')?.textContent).toBe('activity');
  });

  it('says Loading until the screen’s panels are defined, then shows it', async () => {
    const { loader, updates } = host();
    loader.load('floor', 'host');
    expect(shown(loader, 'floor').querySelector('[role=status]')?.textContent).toBe('Loading…');
    await loader.done;
    expect(customElements.get('ss-desk-list')).toBeDefined();
    expect(updates.count).toBe(1);
    expect(shown(loader, 'floor').querySelector('[data-screen]')?.textContent).toBe('floor');
  });

  it('says what failed, with Try again, when the chunk does not come', async () => {
    const { loader } = host();
    loader.load('audit', 'operator');
    await loader.done;
    const box = shown(loader, 'audit');
    expect(box.querySelector('[data-screen]')).toBeNull();
    expect(box.querySelector('[role=alert] p')?.textContent).toMatch(/^Could not load this: /);
    expect(box.querySelector('[role=alert] button')?.textContent).toBe('Try again');
  });

  it('drops the answer for a screen no longer asked for', async () => {
    const { loader, updates } = host();
    loader.load('audit', 'operator');
    const first = loader.done;
    loader.load('activity', 'operator');
    await first;
    expect(updates.count).toBe(0);
    expect(shown(loader, 'activity').querySelector('[data-screen]')?.textContent).toBe('activity');
  });
});
