// The Flux dashboard (deploy/grafana/provisioning/dashboards/smartspace/flux.json) cannot run
// here: no InfluxDB 2.x server is installable (Debian ships InfluxDB 1.6, which has no Flux), so
// test/deploy/grafana-dashboards.e2e.test.ts runs only the InfluxQL one. Instead every Flux query,
// interpolated as Grafana sends it (v.timeRangeStart/Stop, v.windowPeriod, v.defaultBucket,
// ${zone:json}), goes through InfluxData's Flux parser and type checker (test/helpers/
// flux-check.ts): syntax, functions of the standard library, their arguments and types. What it
// cannot see is the data (a misspelt tag value or a query that answers nothing): the unit test
// checks measurement and field names against the history's, and the README says so.
import { describe, expect, it } from 'vitest';
import { fluxErrors } from '../helpers/flux-check.ts';
import { dashboardQueries, dashboards, interpolateFlux, multiVariables } from '../helpers/grafana.ts';

const d = dashboards().get('flux.json')!;
const o = {
  from: Date.UTC(2026, 10, 18, 10),
  to: Date.UTC(2026, 10, 25, 10),
  vars: { zone: ['open-space', 'quiet-room'], door: ['front', 'meeting'], tz: ['Europe/Copenhagen'] },
  multi: multiVariables(d),
  bucket: 'smartspace',
};

describe('the Flux Grafana dashboard', () => {
  it('the checker refuses a misspelt function, a wrong argument and broken syntax', async () => {
    expect(await fluxErrors('from(bucket: "b")\n  |> range(start: -1h)\n  |> last()')).toEqual([]);
    expect(await fluxErrors('from(bucket: "b")\n  |> range(start: -1h)\n  |> lastt()')).not.toEqual([]);
    expect(await fluxErrors('from(bucket: "b")\n  |> range(start: -1h)\n  |> aggregateWindow(every: 1h, fn: last, createEmptyy: true)')).not.toEqual([]);
    expect(await fluxErrors('from(bucket: "b")\n  |> range(start: -1h)\n  |> filter(fn: (r) => r._value == )')).not.toEqual([]);
    expect(await fluxErrors('from(bucket: "b")\n  |> range(start: -1h)\n  |> map(fn: (r) => ({r with hour: date.hour(t: r._time)}))')).not.toEqual([]);
  });

  it.each(dashboardQueries(d).map((q) => [q.where, q] as const))('%s parses and type-checks', async (_where, q) => {
    const text = interpolateFlux(q.query, { ...o, minInterval: q.minInterval });
    expect(await fluxErrors(text), text).toEqual([]);
  });
});
