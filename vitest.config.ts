// Test tiers by cost; a file's name says its tier:
//   *.test.ts              `unit` (and `dashboard`, components in happy-dom): no sockets, no
//                          processes, no SQLite files. fastify inject(), aedes over an in-memory
//                          duplex (test/helpers/mqtt-memory.ts), SQLite ':memory:'. Enforced by
//                          test/helpers/unit-guard.ts. `npm run test:unit`.
//   *.integration.test.ts  `integration`: the app on loopback ports, real MQTT over TCP, SQLite files.
//   *.process.test.ts      `process`: spawned processes, PTYs (socat), kill -9. One file at a time.
//   *.e2e.test.ts          `e2e`: Chromium, Mosquitto, InfluxDB. One file at a time.
import { configDefaults, defineConfig } from 'vitest/config';

const TIERED = ['**/*.integration.test.ts', '**/*.process.test.ts', '**/*.e2e.test.ts'];
const UNIT_GUARD = ['test/helpers/unit-guard.ts'];

export default defineConfig({
  test: {
    globalSetup: ['test/helpers/node-version.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/dashboard/**', ...TIERED],
          environment: 'node',
          setupFiles: UNIT_GUARD,
          testTimeout: 15_000,
          // Pure code shares one module graph per worker: a fresh one per file was half of the
          // tier's time (40 s → 19 s here). Dashboard files keep isolation: they mock modules.
          isolate: false,
        },
      },
      {
        test: {
          name: 'dashboard',
          include: ['test/dashboard/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...TIERED],
          environment: 'happy-dom',
          setupFiles: UNIT_GUARD,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/**/*.integration.test.ts'],
          environment: 'node',
          testTimeout: 15_000,
        },
      },
      {
        test: {
          name: 'process',
          include: ['test/**/*.process.test.ts'],
          environment: 'node',
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/**/*.e2e.test.ts'],
          environment: 'node',
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
