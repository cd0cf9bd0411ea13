// What an alert says on e-mail, push and webhooks, in the site's language (config
// `alerts.language`): the services' channels and the Node-RED alert node (through
// contracts/palette.ts) say it with these same words. The dashboard has its own words
// (dashboard/src/words/*/live.ts); both say the same things. A gateway that stopped answering: the services cannot tell a dead Pi from a
// lost network, so the words say what each would mean, never that cards still work.
import type { AlertKind, AlertView, SuspectReason } from './api/index.ts';

const SUSPECT_EN: Record<SuspectReason, string> = {
  'stuck-occupied': 'It says someone sits there, but nobody is in.',
  'never-occupied': 'It never says anyone sits there, while its zone is busy.',
  flapping: 'It switches between taken and free all the time.',
};
const SUSPECT_DA: Record<SuspectReason, string> = {
  'stuck-occupied': 'Den siger, at nogen sidder der, men ingen er inde.',
  'never-occupied': 'Den siger aldrig, at nogen sidder der, mens dens zone er travl.',
  flapping: 'Den skifter hele tiden mellem optaget og ledig.',
};

/** What the words read of an alert: a stored one (AlertView), or one a Node-RED rule is raising, named from the site config. */
export type AlertWordsInput = Pick<AlertView, 'kind' | 'name' | 'detail' | 'text' | 'door'>;

export interface AlertText {
  title: string;
  body: string;
}

type Words = Record<AlertKind, (a: AlertWordsInput) => AlertText> & { cleared: string; acked: (name: string) => string };

const n = (v: number | undefined) => v ?? 0;

const en: Words = {
  'forced-open': (a) => ({ title: `${a.name} was forced open`, body: 'It opened while locked. Check the door and who came in.' }),
  'held-open': (a) => ({
    title: `${a.name} is held open too long`,
    body: `${a.detail.openS ? `Open for ${Math.round(a.detail.openS / 60)} min. ` : ''}Close the door, or check why it stays open.`,
  }),
  'gateway-offline': (a) => ({
    title: `Gateway ${a.name} stopped answering`,
    body: 'If it still has power, its doors decide from their last access list. If it lost power, doors with fail-secure locks stay locked. Check its power and network.',
  }),
  capacity: (a) => ({
    title: `${a.name} is nearly full`,
    body: `${n(a.detail.occupied)} of ${n(a.detail.capacity)} desks taken.`,
  }),
  denied: (a) => ({
    title: `${n(a.detail.attempts)} denied attempts at ${a.name}`,
    body: `Within ${Math.round(n(a.detail.windowS) / 60) || 1} min. Someone may be trying a card that does not work. Check the door.`,
  }),
  'device-fault': (a) => ({ title: `${a.name} is not working`, body: 'Check its cable and power.' }),
  'rule-failed': (a) => ({ title: `An automation rule failed${a.door ? ` at ${a.name}` : ''}`, body: a.text ?? 'See Node-RED.' }),
  'sensor-suspect': (a) => ({
    title: `The sensor at ${a.name} looks wrong`,
    body: `${a.detail.reason ? `${SUSPECT_EN[a.detail.reason]} ` : ''}It is left out of utilisation until a host checks it (desk sensors to check: Floor plan, or Gateways).`,
  }),
  'automation-offline': () => ({
    title: 'The automation (Node-RED) stopped',
    body: 'Until it is back, no alert is sent for doors forced or held open, gateways gone or zones full, and its rules (opening hours) do not run. Doors still decide from their access lists. Check that Node-RED runs.',
  }),
  cleared: 'Over',
  acked: (name) => `Taken care of by ${name}`,
};

const da: Words = {
  'forced-open': (a) => ({ title: `${a.name} blev brudt op`, body: 'Den blev åbnet, mens den var låst. Tjek døren, og hvem der kom ind.' }),
  'held-open': (a) => ({
    title: `${a.name} holdes åben for længe`,
    body: `${a.detail.openS ? `Åben i ${Math.round(a.detail.openS / 60)} min. ` : ''}Luk døren, eller tjek hvorfor den står åben.`,
  }),
  'gateway-offline': (a) => ({
    title: `Gateway ${a.name} svarer ikke`,
    body: 'Har den stadig strøm, afgør dørene selv ud fra deres sidste adgangsliste. Har den mistet strømmen, forbliver døre med fail-secure-låse låst. Tjek strøm og netværk.',
  }),
  capacity: (a) => ({
    title: `${a.name} er næsten fuld`,
    body: `${n(a.detail.occupied)} af ${n(a.detail.capacity)} pladser optaget.`,
  }),
  denied: (a) => ({
    title: `${n(a.detail.attempts)} afviste forsøg ved ${a.name}`,
    body: `Inden for ${Math.round(n(a.detail.windowS) / 60) || 1} min. Nogen prøver måske et kort, der ikke virker. Tjek døren.`,
  }),
  'device-fault': (a) => ({ title: `${a.name} virker ikke`, body: 'Tjek kabel og strøm.' }),
  'rule-failed': (a) => ({ title: `En automatisering fejlede${a.door ? ` ved ${a.name}` : ''}`, body: a.text ?? 'Se Node-RED.' }),
  'sensor-suspect': (a) => ({
    title: `Sensoren ved ${a.name} ser forkert ud`,
    body: `${a.detail.reason ? `${SUSPECT_DA[a.detail.reason]} ` : ''}Den tælles ikke med i belægningen, før en vært har tjekket den (skrivebordssensorer, der skal tjekkes: Plantegning eller Gateways).`,
  }),
  'automation-offline': () => ({
    title: 'Automatiseringen (Node-RED) er stoppet',
    body: 'Indtil den er tilbage, sendes der ingen alarm om døre, der brydes op eller står åbne, gateways, der er væk, eller fulde zoner, og dens regler (åbningstider) kører ikke. Dørene afgør stadig selv ud fra deres adgangslister. Tjek, at Node-RED kører.',
  }),
  cleared: 'Ovre',
  acked: (name) => `Håndteret af ${name}`,
};

export const ALERT_WORDS = { en, da } as const;
export type AlertLanguage = keyof typeof ALERT_WORDS;

export function alertText(a: AlertWordsInput, lang: AlertLanguage): AlertText {
  return ALERT_WORDS[lang][a.kind](a);
}
