// Shapes as the services send them, for the dashboard's component tests.
import type { DeskView, DoorView, EventView, GatewayView, SiteView } from '../../contracts/api/index.ts';
import type { DoorState } from '../../contracts/payloads.ts';

export const T0 = Date.UTC(2025, 5, 2, 8, 30, 0); // 10:30 in Copenhagen (CEST)

export function doorState(over: Partial<DoorState> = {}): DoorState {
  return { v: 1, ts: T0, door: 'front', lock: 'locked', contact: 'closed', mode: 'normal', alarms: [], ...over };
}

export function door(over: Partial<DoorView> = {}): DoorView {
  return {
    id: 'front',
    name: 'Front door',
    gateway: 'gw-main',
    state: doorState({ door: over.id ?? 'front' }),
    gatewayOnline: true,
    canUnlock: true,
    ...over,
  };
}

export function desk(id: string, zone: string, x: number, y: number, occupied: boolean | null): DeskView {
  return { id, name: `Desk ${Number(id.slice(1))}`, zone, x, y, occupied, since: occupied === null ? null : T0 };
}

export function gateway(over: Partial<GatewayView> = {}): GatewayView {
  return { id: 'gw-main', name: 'Cupboard Pi', online: true, lastSeen: T0, aclVersion: 3, outboxDepth: 0, ...over };
}

export function accessEvent(over: Partial<EventView> = {}): EventView {
  return {
    id: 'ev-00000001',
    ts: T0,
    door: 'front',
    doorName: 'Front door',
    type: 'access',
    decision: 'granted',
    reason: 'ok',
    via: 'card',
    offline: false,
    ...over,
  };
}

export const SITE: SiteView = {
  id: 'klitmoller',
  name: 'Klitmøller Kystkontor',
  timeZone: 'Europe/Copenhagen',
  floor: { width: 1000, height: 600 },
  zones: [
    { id: 'open-space', name: 'Open space', capacity: 10 },
    { id: 'quiet-room', name: 'Quiet room', capacity: 6 },
  ],
};

/** The URL a fetch call asked for, as text. */
export const urlOf = (url: string | URL | Request): string => (typeof url === 'string' ? url : url instanceof URL ? url.href : url.url);

/** The JSON a fetch call sent (the dashboard's client sends JSON text). */
export function jsonBody(init: RequestInit | undefined): unknown {
  const body = init?.body;
  if (typeof body !== 'string') throw new Error(`expected a JSON text body, got ${typeof body}`);
  return JSON.parse(body);
}

/** A fetch stand-in: answers each call with the next response from `answers`, recording the calls. */
export function fakeFetch(answers: Array<{ status: number; body?: unknown } | Error>) {
  const calls: Array<{ url: string; init: RequestInit | undefined }> = [];
  // Not async, so that nothing in it waits; failures are rejections, as with fetch.
  const fn = (url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    calls.push({ url: urlOf(url), init });
    const answer = answers.shift();
    if (!answer) return Promise.reject(new Error(`unexpected fetch ${urlOf(url)}`));
    if (answer instanceof Error) return Promise.reject(answer);
    if (answer.body === undefined) return Promise.resolve(new Response(null, { status: answer.status }));
    const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
    return Promise.resolve(new Response(text, { status: answer.status, headers: { 'content-type': 'application/json' } }));
  };
  return { fn, calls };
}

/** Text of an element with whitespace collapsed, as a person reads it. */
export function text(el: Element | null | undefined): string {
  return (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** Lets fetch answers and the renders they cause run out: a few rounds of tasks and updates. */
export async function settle(el: { updateComplete: Promise<unknown> }, rounds = 6): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await new Promise((r) => setTimeout(r, 0));
    await el.updateComplete;
  }
}

/** Types `value` into the input `selector` names in `root`, as a person would (an input event). */
export function typeIn(root: ShadowRoot, selector: string, value: string): void {
  const input = root.querySelector<HTMLInputElement>(selector)!;
  input.value = value;
  input.dispatchEvent(new Event('input'));
}

/** Clicks what `selector` names in the element's shadow root, then lets it settle. */
export async function click(el: HTMLElement & { updateComplete: Promise<unknown> }, selector: string): Promise<void> {
  el.shadowRoot!.querySelector<HTMLElement>(selector)!.click();
  await settle(el);
}
