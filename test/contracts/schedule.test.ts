import { describe, it, expect } from 'vitest';
import { withinWindows, localWeekMinute } from '../../contracts/schedule.ts';

const TZ = 'Europe/Copenhagen';
const weekdays = [{ days: [1, 2, 3, 4, 5], from: '08:00', to: '18:00' }];

describe('withinWindows', () => {
  it('no windows means any time', () => {
    expect(withinWindows(undefined, TZ, Date.UTC(2026, 0, 4, 3, 0))).toBe(true);
    expect(withinWindows([], TZ, Date.UTC(2026, 0, 4, 3, 0))).toBe(true);
  });

  it('uses local wall-clock time: 07:30 UTC on a winter Monday is 08:30 in Copenhagen', () => {
    // 2026-01-05 is a Monday.
    expect(localWeekMinute(Date.UTC(2026, 0, 5, 7, 30), TZ)).toEqual({ day: 1, minute: 8 * 60 + 30 });
    expect(withinWindows(weekdays, TZ, Date.UTC(2026, 0, 5, 7, 30))).toBe(true);
    expect(withinWindows(weekdays, TZ, Date.UTC(2026, 0, 5, 6, 59))).toBe(false);
    expect(withinWindows(weekdays, TZ, Date.UTC(2026, 0, 5, 17, 0))).toBe(false); // 18:00 local, exclusive
    expect(withinWindows(weekdays, TZ, Date.UTC(2026, 0, 10, 10, 0))).toBe(false); // Saturday
  });

  it('stays 08:00 local across the spring and autumn clock changes', () => {
    // Monday 2026-03-30, the day after CEST starts: 08:00 local = 06:00 UTC.
    expect(withinWindows(weekdays, TZ, Date.UTC(2026, 2, 30, 6, 0))).toBe(true);
    expect(withinWindows(weekdays, TZ, Date.UTC(2026, 2, 30, 5, 59))).toBe(false);
    // Monday 2026-10-26, the day after CEST ends: 08:00 local = 07:00 UTC.
    expect(withinWindows(weekdays, TZ, Date.UTC(2026, 9, 26, 7, 0))).toBe(true);
    expect(withinWindows(weekdays, TZ, Date.UTC(2026, 9, 26, 6, 59))).toBe(false);
  });

  it('a window to 24:00 includes the last minute of the day', () => {
    const late = [{ days: [7], from: '20:00', to: '24:00' }];
    // Sunday 2026-01-04 23:59 local = 22:59 UTC.
    expect(withinWindows(late, TZ, Date.UTC(2026, 0, 4, 22, 59))).toBe(true);
  });
});
