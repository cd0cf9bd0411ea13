// What the shipped alert nodes say, on a Danish and an English site: the settings come from the
// real config/node-red/settings.cjs (site config → language and names), the nodes are the
// shipped rules' alert nodes in the real Node-RED runtime, the alert centre is the fake
// services. The words are the services' own (contracts/alert-words.ts), so the Node-RED line
// says what the e-mail and push say.
import { describe, it, expect, beforeAll, afterAll, afterEach, vi } from 'vitest';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { helper, allPalette, onTab, collect, until } from './helper.ts';
import { fakeServices, TOKEN } from './fake-services.ts';
import { makeTestSite, type TestSite } from '../helpers/site.ts';

type FlowJson = Array<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
const SHIPPED = JSON.parse(readFileSync(new URL('../../config/node-red/flows.json', import.meta.url), 'utf8')) as FlowJson;
const require = createRequire(import.meta.url);

/** The `smartspace` settings Node-RED gets for this site: settings.cjs itself, reading the site's config and secrets. */
function settingsOf(site: TestSite): Record<string, unknown> {
  const saved = { ...process.env };
  Object.assign(process.env, { SMARTSPACE_CONFIG: site.configPath, SMARTSPACE_SECRETS_FILE: site.secretsPath });
  const path = require.resolve('../../config/node-red/settings.cjs');
  delete require.cache[path];
  const quiet = vi.spyOn(process.stdout, 'write').mockImplementation(() => true); // its JSON log lines
  try {
    return (require(path) as { smartspace: Record<string, unknown> }).smartspace;
  } finally {
    quiet.mockRestore();
    process.env = saved;
  }
}

/** An English-speaking site: alerts and site in English, its doors, zones and gateway named in English. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function english(raw: Record<string, any>) {
  raw.site.language = 'en';
  raw.alerts = { ...(raw.alerts ?? {}), language: 'en' };
  const rename = (items: Array<{ id: string; name: string }>, names: Record<string, string>) => {
    for (const i of items) i.name = names[i.id] ?? i.name;
  };
  rename(raw.doors, { front: 'Front door', meeting: 'Meeting room' });
  rename(raw.zones, { 'open-space': 'Open office', 'quiet-room': 'Quiet room' });
  rename(raw.gateways, { 'gw-main': 'Pi in the cupboard' });
}

describe('the alert nodes speak the site’s language with the site’s names', () => {
  let svc: Awaited<ReturnType<typeof fakeServices>>;
  let site: TestSite | undefined;
  beforeAll(async () => {
    svc = await fakeServices();
  });
  afterAll(async () => {
    await new Promise<void>((r) => svc.server.close(() => r()));
  });
  afterEach(async () => {
    await helper.unload();
    site?.cleanup();
    site = undefined;
    svc.calls.length = 0;
  });

  /** Loads the shipped site node and alert nodes (no waiting: 0 s) wired to one collector; sends one of each alert. */
  async function raiseEach(s: TestSite) {
    helper.settings({ smartspace: { ...settingsOf(s), servicesUrl: svc.url, automationToken: TOKEN } });
    const pick = (id: string, edit: Record<string, unknown> = {}) => {
      const { x: _x, y: _y, z: _z, ...n } = SHIPPED.find((x) => x.id === id)!;
      return { ...n, ...edit, wires: [['out']] };
    };
    const kinds = ['forced-open', 'capacity', 'gateway-offline', 'denied', 'rule-failed'];
    await helper.load(
      [...allPalette],
      onTab(
        SHIPPED.find((n) => n.id === 'site')!,
        pick('alert-alarm'),
        pick('alert-capacity'),
        pick('alert-gateway', { afterS: 0 }),
        pick('alert-denied'),
        pick('alert-rule'),
        { id: 'out', type: 'helper' },
      ),
    );
    const out = collect(helper.getNode('out'));
    helper.getNode('alert-alarm').receive({ door: 'front', payload: { kind: 'forced-open' } });
    helper.getNode('alert-capacity').receive({ zone: 'open-space', payload: { occupied: 9, capacity: 10 } });
    helper.getNode('alert-gateway').receive({ gateway: 'gw-main', payload: { state: 'offline' } });
    for (const ts of [0, 1000, 2000])
      helper.getNode('alert-denied').receive({ door: 'meeting', ts, payload: { decision: 'denied', reason: 'unknown-credential' } });
    helper.getNode('alert-rule').receive({ payload: 'Opening hours: hold front: the services did not answer' });
    await until(() => out.length >= kinds.length, 5000, 'one alert from each node');
    // Five nodes send at once: in the order of `kinds`, whichever arrived first.
    return out
      .map((m) => ({ kind: m.alert.kind as string, title: m.title, text: m.text, payload: m.payload }))
      .sort((a, b) => kinds.indexOf(a.kind) - kinds.indexOf(b.kind));
  }

  it('a Danish site (alerts.language da): Danish title and text, Danish names', async () => {
    site = await makeTestSite();
    expect(site.config.alerts.language).toBe('da');
    const said = await raiseEach(site);
    expect(said).toEqual([
      {
        kind: 'forced-open',
        title: 'Hoveddør blev brudt op',
        text: 'Den blev åbnet, mens den var låst. Tjek døren, og hvem der kom ind.',
        payload: 'Hoveddør blev brudt op. Den blev åbnet, mens den var låst. Tjek døren, og hvem der kom ind.',
      },
      {
        kind: 'capacity',
        title: 'Åbent kontor er næsten fuld',
        text: '9 af 10 pladser optaget.',
        payload: 'Åbent kontor er næsten fuld. 9 af 10 pladser optaget.',
      },
      {
        kind: 'gateway-offline',
        title: 'Gateway Pi i skabet svarer ikke',
        text: expect.stringMatching(/^Har den stadig strøm, afgør dørene selv/),
        payload: expect.stringMatching(/^Gateway Pi i skabet svarer ikke\. Har den stadig strøm/),
      },
      {
        kind: 'denied',
        title: '3 afviste forsøg ved Mødelokale',
        text: 'Inden for 1 min. Nogen prøver måske et kort, der ikke virker. Tjek døren.',
        payload: expect.stringMatching(/^3 afviste forsøg ved Mødelokale\. Inden for 1 min\./),
      },
      {
        kind: 'rule-failed',
        title: 'En automatisering fejlede',
        text: 'Opening hours: hold front: the services did not answer',
        payload: 'En automatisering fejlede. Opening hours: hold front: the services did not answer',
      },
    ]);
    // Ids stay ids in what goes to the alert centre (it names and words them itself).
    await until(() => svc.calls.length >= 5, 5000, 'the five raises posted');
    const subjects = svc.calls.filter((c) => c.url === '/api/alerts').map((c) => c.body.door ?? c.body.zone ?? c.body.gateway ?? '(site)');
    expect(subjects.sort()).toEqual(['(site)', 'front', 'gw-main', 'meeting', 'open-space']);
  });

  it('an English site (alerts.language en): English title and text, its own names', async () => {
    site = await makeTestSite(english);
    const said = await raiseEach(site);
    expect(said.map(({ title, text }) => ({ title, text }))).toEqual([
      { title: 'Front door was forced open', text: 'It opened while locked. Check the door and who came in.' },
      { title: 'Open office is nearly full', text: '9 of 10 desks taken.' },
      { title: 'Gateway Pi in the cupboard stopped answering', text: expect.stringMatching(/^If it still has power, its doors decide/) },
      { title: '3 denied attempts at Meeting room', text: 'Within 1 min. Someone may be trying a card that does not work. Check the door.' },
      { title: 'An automation rule failed', text: 'Opening hours: hold front: the services did not answer' },
    ]);
  });
});
