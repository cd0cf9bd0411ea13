// The history store contract against Debian's InfluxDB 1.6.7 (influxd on a private port).
import { InfluxDb1Store } from '../../services/history/influxdb1-store.ts';
import { startInfluxd } from '../helpers/influxd.ts';
import { historyContract } from '../services/history/contract.ts';

historyContract('influxdb1', async () => {
  const influxd = await startInfluxd();
  const store = new InfluxDb1Store({ url: influxd.url, database: 'contract' });
  return {
    store,
    async cleanup() {
      await store.close();
      await influxd.cleanup();
    },
  };
});
