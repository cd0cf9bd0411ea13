// Danske ord. Skrivebordssensorer tjekket mod døren (enhedsskærmen): hvad en mistænkt sensor
// betyder, og hvad en vært tjekker, pr. grund. Samme nøgler som de engelske (typen er deres).
import type { sensorsWords as english } from '../en/sensors.ts';

export const sensorsWords: typeof english = {
  sensorCheck: {
    title: 'Skrivebordssensorer, der skal tjekkes',
    intro:
      'Tjekket mod dørene og de andre sensorer. Et skrivebord på listen tælles ikke med i belægning og rapporter, før du bekræfter dets sensor, eller den retter sig selv.',
    none: 'Ingen skrivebordssensor ser forkert ud.',
    loading: 'Tjekker skrivebordssensorer…',
    failed: 'Kunne ikke hente sensortjekket. Prøv igen.',
    reason: {
      'stuck-occupied': 'Siger, at nogen sidder her, men ingen er inde',
      'never-occupied': 'Siger aldrig, at nogen sidder her, mens de andre omkring den er optaget',
      flapping: 'Skifter hele tiden mellem optaget og ledig',
    },
    check: {
      'stuck-occupied':
        'Se på skrivebordet: sidder der nogen? Hvis ikke, hænger sensoren. Genstart den (tag batteriet ud i 10 sekunder), eller tjek at intet foran den bevæger sig eller er varmt (en radiator, et gardin).',
      'never-occupied':
        'Sæt dig ved skrivebordet i et minut, og se om det bliver optaget. Hvis ikke, så tjek batteri eller strøm, og at sensoren peger mod stolen.',
      flapping:
        'Se efter noget, der bevæger sig foran sensoren: en ventilator, en plante, et gardin i træk. Drej sensoren væk fra det, eller skru ned for dens følsomhed.',
    },
    evidence: {
      'stuck-occupied': (hours, quiet) =>
        `Optaget i ${hours} t uden pause; de sidste ${quiet} t gik ingen gennem en dør, og intet andet skrivebord var optaget.`,
      'never-occupied': (days, busy) => `Ikke optaget én gang på ${days} dage, mens dens zone var travl på ${busy} af dem.`,
      flapping: (changes, hours) => `Op til ${changes} skift i timen, ${hours} timer i træk.`,
    },
    since: (time) => `Ikke talt med siden ${time}`,
    fine: 'Sensoren er i orden',
    fineLabel: (desk) => `Sensoren ved ${desk} er i orden`,
    backfill: 'Tæl også tiden siden da med (sensoren havde ret hele tiden)',
    confirmed: (desk) => `${desk} tælles med igen.`,
    confirmFailed: 'Kunne ikke bekræfte. Prøv igen.',
  },
};
