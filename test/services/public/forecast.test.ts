// The public forecast on generated histories: median and spread per weekday-hour, closures and
// closed hours left out, hours without data left out, and "not enough data yet" below three weeks.
import { describe, it, expect } from 'vitest';
import { forecastCells, forecastRange, hourlyOccupancy, quantile, openInHour } from '../../../services/public/forecast.ts';
import { localInstant } from '../../../services/analytics/opening-hours.ts';
import { addDays } from '../../../contracts/local-time.ts';
import type { Step } from '../../../services/analytics/occupancy.ts';
import type { TimeWindow } from '../../../contracts/payloads.ts';

const TZ = 'Europe/Copenhagen';
const WEEKDAYS: TimeWindow[] = [{ days: [1, 2, 3, 4, 5], from: '08:00', to: '18:00' }];
// Monday 2025-03-03 … Sunday 2025-04-27: eight weeks, over the spring DST change (30 March).
const FROM = '2025-03-03';
const TO = '2025-04-27';

/** Desks free all the time, occupied in the given [date, fromMinute, toMinute] spans. */
function desks(n: number, spans: [desk: number, date: string, from: number, to: number][]): Step[][] {
  return Array.from({ length: n }, (_, i) => {
    const steps: Step[] = [{ ts: localInstant(FROM, 0, TZ), occupied: 0 }];
    for (const [d, date, a, b] of spans.filter((s) => s[0] === i).sort((x, y) => (x[1] + x[2]).localeCompare(y[1] + y[2]))) {
      steps.push({ ts: localInstant(date, a, TZ), occupied: 1 }, { ts: localInstant(date, b, TZ), occupied: 0 });
      void d;
    }
    return steps.sort((x, y) => x.ts - y.ts);
  });
}
const END = localInstant(addDays(TO, 1), 0, TZ);
const opts = (closures = [] as { name: string; from: string; to: string; plans: string[] }[]) => ({ windows: WEEKDAYS, closures, timeZone: TZ, end: END });
const wednesdays = Array.from({ length: 8 }, (_, w) => addDays('2025-03-05', 7 * w));

describe('quantile', () => {
  it('interpolates linearly between ranks', () => {
    expect(quantile([0, 1], 0.5)).toBe(0.5);
    expect(quantile([1, 2, 3, 4], 0.25)).toBe(1.75);
    expect(quantile([5], 0.75)).toBe(5);
  });
});

describe('the forecast', () => {
  it('gives each weekday-hour the median and p25–p75 of its weeks, within opening hours only', () => {
    // Wednesdays 10:00–11:00: week w has w+1 of 4 desks taken (1..4, then 1..4 again).
    const spans: [number, string, number, number][] = [];
    wednesdays.forEach((date, w) => {
      for (let d = 0; d <= w % 4; d++) spans.push([d, date, 600, 660]);
    });
    const samples = hourlyOccupancy(desks(4, spans), FROM, TO, opts());
    // Weekends and hours outside 08–18 are not sampled.
    expect(samples.every((s) => s.day <= 5 && s.hour >= 8 && s.hour < 18)).toBe(true);
    const cells = forecastCells(samples, WEEKDAYS);
    expect(cells).toHaveLength(5 * 10);
    expect(cells.find((c) => c.day === 3 && c.hour === 10)).toEqual({ day: 3, hour: 10, samples: 8, median: 0.625, p25: 0.4375, p75: 0.8125 });
    expect(cells.find((c) => c.day === 3 && c.hour === 11)).toMatchObject({ samples: 8, median: 0, p75: 0 });
    expect(cells.some((c) => c.day >= 6)).toBe(false);
  });

  it('leaves a site-wide closure out (a holiday is no evidence of a quiet Wednesday); a plan closure stays in', () => {
    const spans = wednesdays.map((date): [number, string, number, number] => [0, date, 600, 660]);
    const closures = [{ name: 'Ferie', from: wednesdays[2]!, to: wednesdays[4]!, plans: [] }];
    const withClosure = forecastCells(
      hourlyOccupancy(
        desks(
          1,
          spans.filter((s) => s[1] < wednesdays[2]! || s[1] > wednesdays[4]!),
        ),
        FROM,
        TO,
        opts(closures),
      ),
      WEEKDAYS,
    );
    expect(withClosure.find((c) => c.day === 3 && c.hour === 10)).toMatchObject({ samples: 5, median: 1 });
    const planOnly = forecastCells(
      hourlyOccupancy(
        desks(
          1,
          spans.filter((s) => s[1] < wednesdays[2]! || s[1] > wednesdays[4]!),
        ),
        FROM,
        TO,
        opts([{ ...closures[0]!, plans: ['flex'] }]),
      ),
      WEEKDAYS,
    );
    expect(planOnly.find((c) => c.day === 3 && c.hour === 10)).toMatchObject({ samples: 8, median: 1 });
  });

  it('says not enough data below three weeks of a weekday-hour, and leaves hours without data out', () => {
    // The desk reports only from the sixth Wednesday on: earlier hours have no data at all.
    const start = localInstant(wednesdays[5]!, 0, TZ);
    const d: Step[][] = [
      [
        { ts: localInstant(FROM, 0, TZ), occupied: null },
        { ts: start, occupied: 0 },
        { ts: start + 10 * 3600_000, occupied: 1 },
        { ts: start + 11 * 3600_000, occupied: 0 },
      ],
    ];
    let cells = forecastCells(hourlyOccupancy(d, FROM, addDays(wednesdays[6]!, -1), opts()), WEEKDAYS);
    expect(cells.find((c) => c.day === 3 && c.hour === 10)).toEqual({ day: 3, hour: 10, samples: 1, median: null, p25: null, p75: null });
    expect(cells.find((c) => c.day === 4 && c.hour === 10)).toMatchObject({ samples: 1, median: null });
    cells = forecastCells(hourlyOccupancy(d, FROM, TO, opts()), WEEKDAYS);
    expect(cells.find((c) => c.day === 3 && c.hour === 10)).toMatchObject({ samples: 3, median: 0 });
  });

  it('counts a part-open hour by its open part, on a DST day too', () => {
    const windows: TimeWindow[] = [{ days: [1, 2, 3, 4, 5, 6, 7], from: '08:30', to: '12:00' }];
    expect([openInHour(windows, 1, 8), openInHour(windows, 1, 12), openInHour(windows, 7, 11)]).toEqual([true, false, true]);
    // Sunday 30 March (DST starts): the desk is taken 08:30–09:00, the whole open part of hour 8.
    const d = desks(1, [[0, '2025-03-30', 510, 540]]);
    const s = hourlyOccupancy(d, '2025-03-30', '2025-03-30', { ...opts(), windows });
    expect(s.map((x) => [x.hour, x.value])).toEqual([
      [8, 1],
      [9, 0],
      [10, 0],
      [11, 0],
    ]);
  });

  it('is made from the eight whole weeks before today', () => {
    expect(forecastRange('2025-05-07')).toEqual({ from: '2025-03-12', to: '2025-05-06' });
  });
});
