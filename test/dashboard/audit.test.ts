import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AuditView } from '../../contracts/api/index.ts';
import '../../dashboard/src/components/audit-panel.ts';
import type { AuditPanel } from '../../dashboard/src/components/audit-panel.ts';
import { auditQuery, NO_FILTERS, startOfDay, validAction } from '../../dashboard/src/audit-query.ts';
import { locale } from '../../dashboard/src/words/locale.ts';
import { fakeFetch, T0, text } from './fixtures.ts';

const CPH = 'Europe/Copenhagen';

function entry(id: number, over: Partial<AuditView> = {}): AuditView {
  return { id, ts: T0 - id * 60_000, actor: 'm-mette', action: 'unlock', target: 'front', source: '10.0.0.7', detail: { via: 'app' }, ...over };
}

afterEach(() => {
  locale.reset();
  vi.unstubAllGlobals();
  document.body.replaceChildren();
});

describe('audit filters', () => {
  it('turns site days into the instants they start and end, across DST', () => {
    expect(startOfDay('2025-06-02', CPH)).toBe(Date.UTC(2025, 5, 1, 22)); // CEST, UTC+2
    expect(startOfDay('2025-01-15', CPH)).toBe(Date.UTC(2025, 0, 14, 23)); // CET, UTC+1
    expect(startOfDay('2025-03-30', CPH)).toBe(Date.UTC(2025, 2, 29, 23)); // the night clocks go forward
    expect(startOfDay('2025-10-27', CPH)).toBe(Date.UTC(2025, 9, 26, 23)); // the day after they go back
    expect(startOfDay('nonsense', CPH)).toBeNull();
  });

  it('sends only the filters that are set', () => {
    expect(auditQuery(NO_FILTERS, CPH, { limit: 50 })).toBe('limit=50');
    const q = new URLSearchParams(
      auditQuery({ action: ' member. ', actor: 'm-mette', target: '', from: '2025-06-02', to: '2025-06-02' }, CPH, { before: '42' }),
    );
    expect(Object.fromEntries(q)).toEqual({
      from: String(Date.UTC(2025, 5, 1, 22)),
      to: String(Date.UTC(2025, 5, 2, 22) - 1),
      actor: 'm-mette',
      action: 'member.',
      before: '42',
    });
  });

  it('knows an action the services would refuse', () => {
    expect(validAction('member.')).toBe(true);
    expect(validAction('')).toBe(true);
    expect(validAction('Member')).toBe(false);
    expect(validAction('door unlock')).toBe(false);
  });
});

describe('audit panel', () => {
  async function settle(el: AuditPanel) {
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 0));
      await el.updateComplete;
    }
  }

  async function mount(answers: Parameters<typeof fakeFetch>[0]) {
    const api = fakeFetch(answers);
    vi.stubGlobal('fetch', api.fn);
    const el = document.createElement('ss-audit');
    el.timeZone = CPH;
    document.body.append(el);
    await settle(el);
    return { el, api, root: el.shadowRoot! };
  }

  async function type(el: AuditPanel, name: string, value: string) {
    const input = el.shadowRoot!.querySelector<HTMLInputElement>(`input[name=${name}]`)!;
    input.value = value;
    input.dispatchEvent(new Event('input'));
    await el.updateComplete;
  }

  const rows = (root: ShadowRoot) => [...root.querySelectorAll<HTMLElement>('tr[data-audit]')].map((r) => r.dataset.audit);

  it('shows the newest entries in site time, and pages back to older ones', async () => {
    const { el, root, api } = await mount([
      { status: 200, body: { items: [entry(1), entry(2, { actor: null, detail: null })], next: '2' } },
      { status: 200, body: { items: [entry(3)], next: null } },
    ]);
    expect(api.calls[0]!.url).toBe('/api/audit?limit=50');
    expect(rows(root)).toEqual(['1', '2']);
    expect(text(root.querySelector('tr[data-audit="1"]'))).toBe('Mon 2 Jun, 10:29 m-mette unlock front 10.0.0.7 {"via":"app"}');
    expect(text(root.querySelector('tr[data-audit="2"] td:nth-child(2)'))).toBe('system');
    root.querySelector<HTMLButtonElement>('[data-action=older]')!.click();
    await settle(el);
    expect(api.calls[1]!.url).toBe('/api/audit?limit=50&before=2');
    expect(rows(root)).toEqual(['1', '2', '3']);
    expect(root.querySelector('[data-action=older]')).toBeNull();
    expect(text(root.querySelector('[role=status]'))).toBe('3 entries shown');
  });

  it('shows members by name (the id on hover), never as an id made of a mangled name', async () => {
    const { root } = await mount([
      {
        status: 200,
        body: {
          items: [entry(1, { actor: 'm_aaaaaaaaaaaaaaaa', actorName: 'Anna Østergård', target: 'm_bbbbbbbbbbbbbbbb', targetName: 'Karen Sørensen' })],
          next: null,
        },
      },
    ]);
    const cells = [...root.querySelectorAll<HTMLElement>('tr[data-audit="1"] td')];
    expect(text(cells[1])).toBe('Anna Østergård');
    expect(cells[1]!.title).toBe('m_aaaaaaaaaaaaaaaa');
    expect(text(cells[3])).toBe('Karen Sørensen');
  });

  it('filters, and the CSV link downloads the same selection', async () => {
    const { el, root, api } = await mount([
      { status: 200, body: { items: [entry(1)], next: null } },
      { status: 200, body: { items: [], next: null } },
    ]);
    await type(el, 'action', 'member.');
    await type(el, 'from', '2025-06-02');
    root.querySelector<HTMLButtonElement>('[data-action=apply]')!.click();
    await settle(el);
    const from = Date.UTC(2025, 5, 1, 22);
    expect(api.calls[1]!.url).toBe(`/api/audit?from=${from}&action=member.&limit=50`);
    expect(text(root.querySelector('section'))).toContain('No entries match.');
    const csv = root.querySelector<HTMLAnchorElement>('[data-testid=audit-csv]')!;
    expect(csv.getAttribute('href')).toBe(`/api/audit.csv?from=${from}&action=member.&lang=en`);
    expect(csv.hasAttribute('download')).toBe(true);
  });

  it('refuses a filter the services would refuse, before asking them', async () => {
    const { el, root, api } = await mount([{ status: 200, body: { items: [], next: null } }]);
    await type(el, 'action', 'Door Unlock');
    root.querySelector<HTMLButtonElement>('[data-action=apply]')!.click();
    await settle(el);
    expect(api.calls).toHaveLength(1);
    expect(text(root.querySelector('[data-testid=audit-invalid]'))).toMatch(/^An action is lower-case/);
    await type(el, 'action', '');
    await type(el, 'from', '2025-06-03');
    await type(el, 'to', '2025-06-02');
    root.querySelector<HTMLButtonElement>('[data-action=apply]')!.click();
    await settle(el);
    expect(text(root.querySelector('[data-testid=audit-invalid]'))).toBe('The “from” day is after the “to” day.');
  });

  it('says what failed, in Danish too', async () => {
    locale.set('da', false);
    const { root } = await mount([{ status: 500, body: { error: 'internal', message: 'db locked' } }]);
    const failed = root.querySelector('[data-testid=audit-failed]')!;
    expect(failed.getAttribute('role')).toBe('alert');
    expect(text(failed)).toMatch(/^Kunne ikke hente revisionsloggen: /);
    expect(text(root.querySelector('section'))).not.toContain('db locked');
  });
});
