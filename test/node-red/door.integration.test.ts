// The door node against a small HTTP server that plays the services' automation API
// (POST /api/doors/:id/commands, GET /api/doors) with its status codes and bodies.
import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import { helper, palette, coreNodes, nextInput, statusOf, onTab } from './helper.ts';
import { fakeServices, TOKEN } from './fake-services.ts';

const flow = (door: Record<string, unknown>) =>
  onTab(
    { id: 'site', type: 'smartspace-site', name: 'test site' },
    { id: 'door', type: 'smartspace-door', site: 'site', door: '', action: 'msg', reason: '', wires: [['out']], ...door },
    { id: 'out', type: 'helper' },
    { id: 'catch', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
    { id: 'caught', type: 'helper' },
  );

describe('smartspace-door', () => {
  let svc: Awaited<ReturnType<typeof fakeServices>>;
  beforeAll(async () => {
    svc = await fakeServices();
  });
  afterAll(() => new Promise<void>((r) => svc.server.close(() => r())));
  afterEach(async () => {
    await helper.unload();
    svc.calls.length = 0;
  });

  const load = async (door: Record<string, unknown>, token = TOKEN, credentials: Record<string, unknown> = {}) => {
    helper.settings({
      smartspace: { siteId: 'klitmoller', brokerUrl: 'mqtt://127.0.0.1:9', servicesUrl: svc.url, automationToken: token, timeZone: 'Europe/Copenhagen' },
    });
    await helper.load([palette.site, palette.door, coreNodes.catch], flow(door), credentials);
    return { door: helper.getNode('door'), out: helper.getNode('out'), caught: helper.getNode('caught') };
  };

  it('sends the action with the automation token and the reason, and passes on the command', async () => {
    const { door, out } = await load({ door: 'front', action: 'hold', reason: 'opening hours' });
    const got = nextInput(out);
    door.receive({ payload: 'ignored: the node has its action' });
    expect((await got).payload).toEqual({ door: 'front', action: 'hold', commandId: 'cmd-1-abcdef', exp: 1_900_000_000_000 });
    expect(svc.calls).toEqual([
      { method: 'POST', url: '/api/doors/front/commands', auth: `Bearer ${TOKEN}`, body: { action: 'hold', reason: 'opening hours' } },
    ]);
    expect((await statusOf(door, (s) => s.fill === 'green')).text).toMatch(/^hold front \d\d:\d\d:\d\d$/);
  });

  it('takes door and action from the message when the node leaves them open', async () => {
    const { door, out } = await load({});
    const got = nextInput(out);
    door.receive({ payload: 'lockdown', door: 'front', reason: 'fire drill' });
    expect((await got).payload).toMatchObject({ door: 'front', action: 'lockdown' });
    expect(svc.calls[0]!.body).toEqual({ action: 'lockdown', reason: 'fire drill' });
  });

  it('locks every door for "*", and reports the one the role may not control', async () => {
    const { door, out, caught } = await load({ door: '*', action: 'lock', name: 'lock every door' });
    const got = nextInput(out);
    const err = nextInput(caught);
    door.receive({});
    expect((await got).payload).toEqual([
      { door: 'front', action: 'lock', commandId: expect.any(String), exp: 1_900_000_000_000 },
      { door: 'meeting', action: 'lock', error: 'forbidden', reason: 'forbidden: meeting' },
    ]);
    expect((await err).error.message).toMatch(/lock meeting: the automation role may not do this on door "meeting" \(403/);
    expect((await statusOf(door, (s) => s.fill === 'red')).text).toBe('forbidden: meeting');
    expect(svc.calls.map((c) => `${c.method} ${c.url}`)).toEqual(['GET /api/doors', 'POST /api/doors/front/commands', 'POST /api/doors/meeting/commands']);
    expect(svc.calls[1]!.body.reason).toBe('node-red: lock every door');
    // The door list is kept: the next "*" goes straight to the commands.
    const again = nextInput(out);
    door.receive({});
    await again;
    expect(svc.calls.map((c) => `${c.method} ${c.url}`).slice(3)).toEqual(['POST /api/doors/front/commands', 'POST /api/doors/meeting/commands']);
  });

  it('turns red with "invalid token" for a wrong token, and Catch sees it', async () => {
    const { door, caught } = await load({ door: 'front', action: 'unlock' }, 'a-wrong-token-0123456789');
    const err = nextInput(caught);
    door.receive({});
    expect((await err).error.message).toMatch(/the services refused the automation token \(401/);
    expect((await statusOf(door, (s) => s.fill === 'red')).text).toBe('invalid token');
  });

  it('uses a token stored as a Node-RED credential before the settings', async () => {
    const { door, out } = await load({ door: 'front', action: 'unlock' }, 'a-wrong-token-0123456789', { site: { token: TOKEN } });
    const got = nextInput(out);
    door.receive({});
    expect((await got).payload.action).toBe('unlock');
    expect(svc.calls[0]!.auth).toBe(`Bearer ${TOKEN}`);
  });

  it('reports an offline door and an unknown door by name', async () => {
    const { door, caught } = await load({});
    let err = nextInput(caught);
    door.receive({ payload: 'unlock', door: 'front-2' });
    expect((await err).error.message).toMatch(/door "front-2" is offline \(503/);
    expect((await statusOf(door, (s) => s.fill === 'red')).text).toBe('front-2 offline');
    err = nextInput(caught);
    door.receive({ payload: 'unlock', door: 'cellar' });
    await err;
    expect((await statusOf(door, (s) => s.fill === 'red')).text).toBe('unknown door cellar');
  });

  it('ends a malformed message with an error for Catch, and the next message still works', async () => {
    const { door, out, caught } = await load({});
    for (const bad of [
      { payload: 'open-sesame', door: 'front' },
      { payload: 'unlock' },
      { payload: 'unlock', door: 'front/+' },
      { payload: 42, door: 'front' },
      { payload: 'unlock', door: 'front', reason: 7 },
    ]) {
      const err = nextInput(caught);
      door.receive(bad);
      expect((await err).error.message).toMatch(/^TypeError: (msg\.payload|msg\.door|msg\.reason): expected/);
    }
    expect(svc.calls).toHaveLength(0);
    const got = nextInput(out);
    door.receive({ payload: 'unlock', door: 'front' });
    expect((await got).payload.action).toBe('unlock');
  });

  it('says "services unreachable" when nothing answers', async () => {
    helper.settings({ smartspace: { siteId: 'klitmoller', brokerUrl: 'mqtt://127.0.0.1:9', servicesUrl: 'http://127.0.0.1:9', automationToken: TOKEN } });
    await helper.load([palette.site, palette.door, coreNodes.catch], flow({ door: 'front', action: 'lock' }));
    const err = nextInput(helper.getNode('caught'));
    helper.getNode('door').receive({});
    expect((await err).error.message).toMatch(/did not answer/);
    expect((await statusOf(helper.getNode('door'), (s) => s.fill === 'red')).text).toBe('services unreachable');
  });
});
