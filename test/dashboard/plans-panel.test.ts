import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ClosureView, PlanView } from '../../contracts/api/index.ts';
import '../../dashboard/src/components/plans-panel.ts';
import { draftOf, planBody } from '../../dashboard/src/data/plans.ts';
import { daysInWords, rowProblem, toRows, toWindows, windowsInWords } from '../../dashboard/src/data/plan-windows.ts';
import { locale } from '../../dashboard/src/words/locale.ts';
import { click, door, fakeFetch, jsonBody, settle, text, typeIn } from './fixtures.ts';

function plan(over: Partial<PlanView> = {}): PlanView {
  return {
    id: 'flex',
    name: 'Flex',
    doors: ['front', 'meeting'],
    windows: [
      { days: [1, 2, 3, 4, 5], from: '08:00', to: '18:00' },
      { days: [6], from: '10:00', to: '14:00' },
    ],
    offline: true,
    validFrom: null,
    validTo: null,
    inUse: 3,
    ...over,
  };
}

const ANYTIME = plan({
  id: 'all-hours',
  name: 'All hours',
  doors: ['front'],
  windows: [],
  offline: false,
  validFrom: '2025-01-01',
  validTo: '2025-12-31',
  inUse: 0,
});
const PLANS = { status: 200, body: [plan(), ANYTIME] };
const CLOSURE: ClosureView = { id: 'c-1', name: 'Christmas', from: '2025-12-24', to: '2025-12-26', plans: [] };
const CLOSURES = { status: 200, body: [CLOSURE] };

afterEach(() => {
  locale.reset();
  vi.unstubAllGlobals();
  document.body.replaceChildren();
});

async function mount(answers: Parameters<typeof fakeFetch>[0]) {
  const api = fakeFetch(answers);
  vi.stubGlobal('fetch', api.fn);
  const el = document.createElement('ss-plans');
  el.doors = [door(), door({ id: 'meeting', name: 'Meeting room' }), door({ id: 'bikes', name: 'Bike shed' })];
  document.body.append(el);
  await settle(el);
  return { el, api, root: el.shadowRoot! };
}

function tick(root: ShadowRoot, selector: string, on: boolean) {
  const box = root.querySelector<HTMLInputElement>(selector)!;
  box.checked = on;
  box.dispatchEvent(new Event('change'));
}

describe('weekly windows', () => {
  it('reads as days and hours', () => {
    expect(daysInWords([1, 2, 3, 4, 5])).toBe('Mon–Fri');
    expect(daysInWords([5, 1, 3])).toBe('Mon, Wed, Fri');
    expect(daysInWords([1, 2, 3, 6, 7])).toBe('Mon–Wed, Sat, Sun');
    expect(windowsInWords(plan().windows)).toBe('Mon–Fri 08:00–18:00; Sat 10:00–14:00');
    expect(windowsInWords([])).toBe('any time');
    locale.set('da', false);
    expect(windowsInWords(plan().windows)).toBe('man–fre 08:00–18:00; lør 10:00–14:00');
  });

  it('round-trips through the editor rows, midnight included', () => {
    const windows = [{ days: [1, 2], from: '18:00', to: '24:00' }];
    expect(toRows(windows)).toEqual([{ days: [1, 2], from: '18:00', to: '00:00' }]);
    expect(toWindows(toRows(windows))).toEqual(windows);
    expect(rowProblem({ days: [], from: '08:00', to: '18:00' })).toBe('noDay');
    expect(rowProblem({ days: [1], from: '18:00', to: '08:00' })).toBe('badWindow');
    expect(rowProblem({ days: [1], from: '18:00', to: '00:00' })).toBeNull();
    expect(planBody(draftOf(plan()))).toEqual({
      name: 'Flex',
      doors: ['front', 'meeting'],
      windows: plan().windows,
      offline: true,
      validFrom: null,
      validTo: null,
    });
  });
});

describe('plans panel', () => {
  it('lists each plan: doors by name, times in words, offline, validity, how many are on it; and the closures', async () => {
    const { root, api } = await mount([PLANS, CLOSURES]);
    expect(api.calls.map((c) => c.url)).toEqual(['/api/plans', '/api/closures']);
    const flex = root.querySelector('[data-plan=flex]')!;
    expect(text(flex.querySelector('[data-field=doors]'))).toBe('Front door, Meeting room');
    expect(text(flex.querySelector('[data-field=windows]'))).toBe('Mon–Fri 08:00–18:00; Sat 10:00–14:00');
    expect(text(flex.querySelector('[data-field=validity]'))).toBe('always · opens while offline');
    expect(text(flex.querySelector('[data-field=in-use]'))).toBe('3 members or passes');
    const all = root.querySelector('[data-plan=all-hours]')!;
    expect(text(all.querySelector('[data-field=windows]'))).toBe('any time');
    expect(text(all.querySelector('[data-field=validity]'))).toBe('1 Jan 2025 to 31 Dec 2025 · not while offline');
    expect(text(root.querySelector('[data-closure=c-1]'))).toBe('Christmas 24 Dec 2025 to 26 Dec 2025 · all plans Remove');
  });

  it('edits the weekly windows and saves exactly the plan body', async () => {
    const { el, root, api } = await mount([
      PLANS,
      CLOSURES,
      { status: 200, body: plan({ windows: [{ days: [1, 2, 3, 4, 5], from: '07:30', to: '18:00' }], doors: ['bikes', 'front', 'meeting'] }) },
    ]);
    await click(el, '[data-plan=flex] [data-action=edit-plan]');
    expect(root.activeElement?.id).toBe('plan-form-title');
    expect(root.querySelectorAll('[data-row]')).toHaveLength(2);
    expect(root.querySelector<HTMLInputElement>('#row0-from')!.value).toBe('08:00');
    expect([...root.querySelectorAll<HTMLInputElement>('[data-row="0"] input[type=checkbox]')].map((b) => b.checked)).toEqual([
      true,
      true,
      true,
      true,
      true,
      false,
      false,
    ]);
    typeIn(root, '#row0-from', '07:30');
    tick(root, 'input[name=door][value=bikes]', true);
    await click(el, '[data-row="1"] [data-action=remove-window]');
    expect(root.querySelectorAll('[data-row]')).toHaveLength(1);
    await click(el, '[data-action=add-window]');
    expect(root.activeElement?.id).toBe('row1-from');
    // A new row with no day is refused at the row, before anything is sent.
    for (let d = 1; d <= 5; d++) tick(root, `[data-row="1"] input[name=day${d}]`, false);
    await settle(el);
    await click(el, '[data-action=save-plan]');
    expect(api.calls).toHaveLength(2);
    expect(text(root.querySelector('[data-error-for=row1]'))).toBe('Pick at least one day.');
    await click(el, '[data-row="1"] [data-action=remove-window]');
    await click(el, '[data-action=save-plan]');
    const put = api.calls[2]!;
    expect([put.url, put.init?.method]).toEqual(['/api/plans/flex', 'PATCH']);
    expect(jsonBody(put.init)).toEqual({
      name: 'Flex',
      doors: ['bikes', 'front', 'meeting'],
      windows: [{ days: [1, 2, 3, 4, 5], from: '07:30', to: '18:00' }],
      offline: true,
      validFrom: null,
      validTo: null,
    });
    expect(text(root.querySelector('[data-testid=plans-note]'))).toBe('Flex is saved.');
    expect(text(root.querySelector('[data-plan=flex] [data-field=windows]'))).toBe('Mon–Fri 07:30–18:00');
    expect(text(root.querySelector('[data-plan=flex] [data-field=doors]'))).toBe('Bike shed, Front door, Meeting room');
  });

  it('adds a plan, checking the name and the end after the start', async () => {
    const { el, root, api } = await mount([
      PLANS,
      CLOSURES,
      {
        status: 201,
        body: plan({
          id: 'evening',
          name: 'Evening',
          windows: [{ days: [1, 2, 3, 4, 5], from: '17:00', to: '24:00' }],
          doors: ['front'],
          offline: false,
          inUse: 0,
        }),
      },
    ]);
    await click(el, '[data-action=add-plan]');
    await click(el, '[data-action=add-window]');
    typeIn(root, '#row0-from', '17:00');
    typeIn(root, '#row0-to', '16:00');
    await settle(el);
    await click(el, '[data-action=save-plan]');
    expect(api.calls).toHaveLength(2);
    expect(text(root.querySelector('[data-error-for=plan-name]'))).toBe('Fill this in.');
    expect(text(root.querySelector('[data-error-for=row0]'))).toBe('The end must be after the start.');
    expect(root.activeElement?.id).toBe('plan-name');
    // A text-direction override pasted in with the name is caught before sending, as the services would refuse it.
    typeIn(root, '#plan-name', 'Eve\u202Ening');
    await settle(el);
    await click(el, '[data-action=save-plan]');
    expect(api.calls).toHaveLength(2);
    expect(text(root.querySelector('[data-error-for=plan-name]'))).toBe('Leave out control and text-direction characters (often pasted in by accident).');
    typeIn(root, '#plan-name', '  Evening ');
    typeIn(root, '#row0-to', '00:00');
    tick(root, 'input[name=door][value=front]', true);
    await settle(el);
    await click(el, '[data-action=save-plan]');
    expect([api.calls[2]!.url, api.calls[2]!.init?.method]).toEqual(['/api/plans', 'POST']);
    expect(jsonBody(api.calls[2]!.init)).toEqual({
      name: 'Evening',
      doors: ['front'],
      windows: [{ days: [1, 2, 3, 4, 5], from: '17:00', to: '24:00' }],
      offline: false,
      validFrom: null,
      validTo: null,
    });
    expect(root.querySelector('[data-plan=evening]')).not.toBeNull();
  });

  it('says why a plan in use cannot be deleted, and what to do, in Danish too', async () => {
    locale.set('da', false);
    const { el, root, api } = await mount([PLANS, CLOSURES, { status: 409, body: { error: 'plan-in-use', message: '3 member(s)' } }]);
    await click(el, '[data-plan=flex] [data-action=delete-plan]');
    expect(api.calls).toHaveLength(2);
    await click(el, '[data-plan=flex] [data-action=delete-yes]');
    expect([api.calls[2]!.url, api.calls[2]!.init?.method]).toEqual(['/api/plans/flex', 'DELETE']);
    const note = root.querySelector('[data-testid=plans-note]')!;
    expect(note.getAttribute('role')).toBe('alert');
    expect(text(note)).toBe(
      'Kunne ikke slette planen: der er stadig medlemmer eller pas på planen, eller en lukkedag nævner den. Flyt dem til en anden plan under Medlemmer, eller ret lukkedagen, og prøv igen.',
    );
    expect(root.querySelector('[data-plan=flex]')).not.toBeNull();
  });

  it('adds a closure for some plans, and removes one', async () => {
    const added: ClosureView = { id: 'c-2', name: 'Summer', from: '2025-07-14', to: '2025-07-18', plans: ['flex'] };
    const { el, root, api } = await mount([PLANS, CLOSURES, { status: 201, body: added }, { status: 204 }]);
    await click(el, '[data-action=add-closure]');
    expect(api.calls).toHaveLength(2);
    expect(text(root.querySelector('[data-error-for=closure-name]'))).toBe('Fill this in.');
    typeIn(root, '#closure-name', 'Summer');
    typeIn(root, '#closure-from', '2025-07-14');
    await settle(el);
    expect(root.querySelector<HTMLInputElement>('#closure-to')!.value).toBe('2025-07-14');
    typeIn(root, '#closure-to', '2025-07-18');
    tick(root, 'input[name=closure-plan][value=flex]', true);
    await settle(el);
    await click(el, '[data-action=add-closure]');
    expect(jsonBody(api.calls[2]!.init)).toEqual({ name: 'Summer', from: '2025-07-14', to: '2025-07-18', plans: ['flex'] });
    expect(text(root.querySelector('[data-closure=c-2]'))).toBe('Summer 14 Jul 2025 to 18 Jul 2025 · Flex Remove');
    expect(text(root.querySelector('[data-testid=closure-note]'))).toBe('Summer is added.');
    await click(el, '[data-closure=c-1] [data-action=delete-closure]');
    expect([api.calls[3]!.url, api.calls[3]!.init?.method]).toEqual(['/api/closures/c-1', 'DELETE']);
    expect(root.querySelector('[data-closure=c-1]')).toBeNull();
  });

  it('offers to try again when the plans cannot be loaded', async () => {
    const { el, root } = await mount([{ status: 500, body: { error: 'internal', message: 'x' } }, CLOSURES, PLANS]);
    expect(text(root.querySelector('[role=alert] p'))).toBe('Could not load the plans: the server had a problem. Try again in a moment, or call the host.');
    await click(el, '[role=alert] button');
    expect(root.querySelectorAll('[data-plan]')).toHaveLength(2);
  });
});
