// `npm run bench:services`: the services benchmarks of issue 4, one after the other (prints,
// asserts nothing): access-list compile for 10,000 members, API latency at 200 requests/s,
// ingest MQTT → InfluxDB 1.x beside the raw broker and a Node-RED flow.
import { benchAcl } from './services-acl.ts';
import { benchApi } from './services-api.ts';
import { benchIngest } from './services-ingest.ts';

await benchAcl();
await benchApi();
await benchIngest();
process.exit(0);
