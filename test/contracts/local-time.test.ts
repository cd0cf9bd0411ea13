// The one local-time module (contracts/local-time.ts), used by services, dashboard and palette.
// Expected instants are worked out by hand from each zone's UTC offsets.
import { describe, it, expect } from 'vitest';
import { addDays, dateRangeBounds, localDate, localWeekMinute, startOfLocalDay } from '../../contracts/local-time.ts';
import { startOfDay } from '../../dashboard/src/audit-query.ts';

const H = 3_600_000;
const CPH = 'Europe/Copenhagen';
const ADL = 'Australia/Adelaide'; // +09:30, +10:30 in summer
const KOL = 'Asia/Kolkata'; // +05:30, no DST
const SCL = 'America/Santiago'; // clocks go forward at 24:00: 8 Sep 2024 has no 00:00

describe('local time', () => {
  it('starts a day at local midnight on both DST changes in Copenhagen (23 h and 25 h days)', () => {
    expect(startOfLocalDay('2025-03-30', CPH)).toBe(Date.UTC(2025, 2, 29, 23));
    expect(startOfLocalDay('2025-03-31', CPH)).toBe(Date.UTC(2025, 2, 30, 22));
    expect(startOfLocalDay('2025-03-31', CPH) - startOfLocalDay('2025-03-30', CPH)).toBe(23 * H);
    expect(startOfLocalDay('2025-10-26', CPH)).toBe(Date.UTC(2025, 9, 25, 22));
    expect(startOfLocalDay('2025-10-27', CPH)).toBe(Date.UTC(2025, 9, 26, 23));
    expect(startOfLocalDay('2025-10-27', CPH) - startOfLocalDay('2025-10-26', CPH)).toBe(25 * H);
  });

  it('handles 30-minute offsets, with and without DST', () => {
    expect(startOfLocalDay('2025-06-02', KOL)).toBe(Date.UTC(2025, 5, 1, 18, 30));
    expect(startOfLocalDay('2025-04-06', ADL)).toBe(Date.UTC(2025, 3, 5, 13, 30));
    expect(startOfLocalDay('2025-04-07', ADL)).toBe(Date.UTC(2025, 3, 6, 14, 30));
    expect(startOfLocalDay('2025-10-05', ADL)).toBe(Date.UTC(2025, 9, 4, 14, 30));
    expect(startOfLocalDay('2025-10-06', ADL)).toBe(Date.UTC(2025, 9, 5, 13, 30));
    expect(localDate(Date.UTC(2025, 5, 1, 18, 29), KOL)).toBe('2025-06-01');
    expect(localDate(Date.UTC(2025, 5, 1, 18, 30), KOL)).toBe('2025-06-02');
    expect(localWeekMinute(Date.UTC(2025, 5, 1, 18, 30), KOL)).toEqual({ day: 1, minute: 0 });
    expect(localWeekMinute(Date.UTC(2025, 3, 5, 13, 29), ADL)).toEqual({ day: 6, minute: 23 * 60 + 59 });
  });

  it('starts a day whose midnight does not exist at its first local minute', () => {
    expect(startOfLocalDay('2024-09-08', SCL)).toBe(Date.UTC(2024, 8, 8, 4));
    expect(localDate(startOfLocalDay('2024-09-08', SCL), SCL)).toBe('2024-09-08');
    expect(localDate(startOfLocalDay('2024-09-08', SCL) - 1, SCL)).toBe('2024-09-07');
  });

  it('gives the dashboard the same day bounds as the services', () => {
    for (const [day, tz] of [
      ['2025-03-30', CPH],
      ['2025-10-26', CPH],
      ['2025-10-05', ADL],
      ['2024-09-08', SCL],
    ] as const) {
      expect(startOfDay(day, tz)).toBe(startOfLocalDay(day, tz));
      expect(dateRangeBounds(day, day, tz)).toEqual({ start: startOfLocalDay(day, tz), end: startOfLocalDay(addDays(day, 1), tz) });
    }
    expect(startOfDay('2025-02-30', CPH)).toBeNull();
    expect(() => startOfLocalDay('2025-02-30', CPH)).toThrow(RangeError);
  });
});
