// A history point as an InfluxDB line, the same for the 1.x and the 2.x store: integer fields
// (INTEGER_FIELDS) as `1i`, other numbers as floats, booleans, strings; nanosecond time.
import { Point as LpPoint } from '@influxdata/influxdb-client';
import { INTEGER_FIELDS, nsTime, type Point } from './point.ts';

export function toLineProtocolPoint(p: Point): LpPoint {
  const lp = new LpPoint(p.measurement);
  const integers = INTEGER_FIELDS[p.measurement];
  for (const [k, v] of Object.entries(p.tags)) lp.tag(k, v);
  for (const [k, v] of Object.entries(p.fields)) {
    if (typeof v === 'number') {
      if (integers.includes(k)) lp.intField(k, v);
      else lp.floatField(k, v);
    } else if (typeof v === 'boolean') lp.booleanField(k, v);
    else lp.stringField(k, v);
  }
  return lp.timestamp(nsTime(p));
}

/** One line of line protocol; throws for a point the protocol cannot carry (no fields). */
export function toLine(p: Point): string {
  const line = toLineProtocolPoint(p).toLineProtocol();
  if (line === undefined) throw new Error(`${p.measurement}: a point without fields`);
  return line;
}
