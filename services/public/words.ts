// The public page's and the widget's words, Danish and English (the dashboard's words live in
// dashboard/src/words; these are served by the services and the widget, outside the app).
export type PublicLang = 'da' | 'en';

export const PUBLIC_WORDS = {
  en: {
    title: 'Is there a seat?',
    freeNow: 'free desks now',
    ofDesks: 'of',
    unknown: 'unknown',
    noSensors: 'The desks’ sensors are not answering right now: we cannot say which are free.',
    openToday: 'Open today',
    closedToday: 'Closed today',
    openNow: 'Open now',
    closedNow: 'Closed now',
    hostIn: 'A host is in',
    hostNotIn: 'No host has checked in',
    forecast: 'Usually this busy',
    forecastDay: 'Typical busyness on',
    notEnough: 'Not enough data yet',
    median: 'typical',
    spread: 'usual range',
    busy: 'busy',
    days: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
    updated: 'Updated',
    language: 'Dansk',
    noForecast: 'No forecast yet',
  },
  da: {
    title: 'Er der en plads?',
    freeNow: 'ledige pladser nu',
    ofDesks: 'af',
    unknown: 'ukendt',
    noSensors: 'Pladsernes sensorer svarer ikke lige nu: vi kan ikke se, hvilke der er ledige.',
    openToday: 'Åbent i dag',
    closedToday: 'Lukket i dag',
    openNow: 'Åbent nu',
    closedNow: 'Lukket nu',
    hostIn: 'En vært er her',
    hostNotIn: 'Ingen vært er mødt ind',
    forecast: 'Sådan plejer det at være',
    forecastDay: 'Typisk travlhed om',
    notEnough: 'Ikke nok data endnu',
    median: 'typisk',
    spread: 'normalt udsving',
    busy: 'optaget',
    days: ['mandag', 'tirsdag', 'onsdag', 'torsdag', 'fredag', 'lørdag', 'søndag'],
    updated: 'Opdateret',
    language: 'English',
    noForecast: 'Ingen prognose endnu',
  },
} as const satisfies Record<PublicLang, Record<string, string | readonly string[]>>;

/** `?lang=` when it names da or en, else the first of da/en in Accept-Language (by q), else the site's language. */
export function pickLang(query: string | undefined, acceptLanguage: string | undefined, fallback: PublicLang): PublicLang {
  if (query === 'da' || query === 'en') return query;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((x) => x !== undefined);
      return { lang: tag.split('-')[0], q: q === undefined ? 1 : Number(q), i };
    })
    .filter((x) => (x.lang === 'da' || x.lang === 'en') && x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  return (ranked[0]?.lang as PublicLang | undefined) ?? fallback;
}
