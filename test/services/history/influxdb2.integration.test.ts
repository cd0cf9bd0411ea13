// The history store contract against InfluxDB 2.x — as a recorded HTTP exchange, since no 2.x
// server runs here (InfluxDB 1.6 has no /api/v2). The replay server checks every request the
// store sends (path, query, body, token) against the recording and answers as recorded.
// Re-record: INFLUXDB2_RECORD=1 npx vitest run --project unit test/services/history/influxdb2.test.ts
// against a real server with INFLUXDB2_URL and INFLUXDB2_TOKEN (org "smartspace", empty bucket
// "contract"), or, without INFLUXDB2_URL, against the API model in influxdb2-model.ts.
import { afterAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { InfluxDb2Store } from '../../../services/history/influxdb2-store.ts';
import { historyContract } from './contract.ts';
import { startRecorder, startReplay, TEST_TOKEN } from './recorded-exchange.ts';
import { InfluxDb2Model } from './influxdb2-model.ts';

const FIXTURE = fileURLToPath(new URL('./fixtures/influxdb2-exchange.json', import.meta.url));
const RECORD = process.env.INFLUXDB2_RECORD === '1';

let replay: Awaited<ReturnType<typeof startReplay>> | null = null;

historyContract(RECORD ? 'influxdb2 (recording)' : 'influxdb2 (recorded exchange)', async () => {
  let url: string;
  let done: () => Promise<void>;
  if (RECORD) {
    const model = process.env.INFLUXDB2_URL ? null : new InfluxDb2Model();
    const upstream = process.env.INFLUXDB2_URL ?? (await model!.listen());
    const recorder = await startRecorder(upstream, process.env.INFLUXDB2_TOKEN ?? TEST_TOKEN);
    url = recorder.url;
    done = async () => {
      recorder.save(FIXTURE);
      await recorder.close();
      await model?.close();
    };
  } else {
    replay = await startReplay(FIXTURE);
    url = replay.url;
    done = () => replay!.close();
  }
  const store = new InfluxDb2Store({ url, org: 'smartspace', bucket: 'contract', token: TEST_TOKEN });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await done();
    },
  };
});

describe('the recorded exchange', () => {
  afterAll(() => undefined);
  it.skipIf(RECORD)('was followed request for request, to the end', () => {
    expect(replay!.mismatches).toEqual([]);
    expect(replay!.remaining()).toBe(0);
  });
});
