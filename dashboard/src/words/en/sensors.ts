// English words. Desk sensors checked against the door (the devices screen): what a suspect
// sensor means and what a host checks, per reason (contracts/api/sensors.ts SUSPECT_REASONS).
import type { SuspectReason } from '../../../../contracts/api/index.ts';

export const sensorsWords = {
  sensorCheck: {
    title: 'Desk sensors to check',
    intro:
      'Checked against the doors and the other sensors. A desk listed here is left out of utilisation and reports until you confirm its sensor or it recovers.',
    none: 'No desk sensor looks wrong.',
    loading: 'Checking desk sensors…',
    failed: 'Could not load the sensor check. Try again.',
    reason: {
      'stuck-occupied': 'Says someone sits here, but nobody is in',
      'never-occupied': 'Never says anyone sits here, while the others around it are busy',
      flapping: 'Switches between taken and free all the time',
    } satisfies Record<SuspectReason, string>,
    check: {
      'stuck-occupied':
        'Look at the desk: is anyone there? If not, the sensor is stuck. Restart it (take the battery out for 10 seconds) or check that nothing in front of it moves or is warm (a heater, a curtain).',
      'never-occupied':
        'Sit at the desk for a minute and see whether it turns taken. If not, check the battery or power, and that the sensor points at the seat.',
      flapping:
        'Look for something that moves in front of the sensor: a fan, a plant, a curtain in the draught. Turn the sensor away from it or lower its sensitivity.',
    } satisfies Record<SuspectReason, string>,
    evidence: {
      'stuck-occupied': (hours: string, quiet: string) =>
        `Taken for ${hours} h without a break; for the last ${quiet} h nobody passed a door and no other desk was taken.`,
      'never-occupied': (days: number, busy: number) => `Not taken once in ${days} days, while its zone was busy on ${busy} of them.`,
      flapping: (changes: number, hours: number) => `Up to ${changes} changes an hour, ${hours} hours in a row.`,
    },
    since: (time: string) => `Left out of the numbers since ${time}`,
    fine: 'The sensor is fine',
    fineLabel: (desk: string) => `The sensor at ${desk} is fine`,
    backfill: 'Count the time since then too (the sensor was right all along)',
    confirmed: (desk: string) => `${desk} counts again.`,
    confirmFailed: 'Could not confirm. Try again.',
  },
};
