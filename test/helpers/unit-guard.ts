// setupFiles of the unit tier (projects `unit` and `dashboard`): a unit test opens no socket and
// starts no process. Listening, connecting and spawning throw instead, so a test that needs them
// fails at once with the name of the tier it belongs to (vitest.config.ts lists the tiers).
// In-memory stand-ins: fastify inject(), aedes over an in-memory duplex (test/helpers/mqtt-memory.ts),
// SQLite ':memory:'.
import net from 'node:net';
import childProcess from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';

// Helpers that would open a socket by default ask this first (makeTestSite's free ports).
process.env.SMARTSPACE_TEST_TIER = 'unit';

export const UNIT_GUARD_MESSAGE =
  'unit tests open no sockets/processes: name the file *.integration.test.ts (sockets, SQLite files) or *.process.test.ts (processes)';

function refuse(what: string): never {
  throw new Error(`${UNIT_GUARD_MESSAGE} [${what}]`);
}

net.Server.prototype.listen = function listen(): never {
  refuse('net.Server.listen');
};
net.connect = () => refuse('net.connect');
net.createConnection = () => refuse('net.createConnection');
net.Socket.prototype.connect = function connect(): never {
  refuse('net.Socket.connect');
};

for (const name of ['spawn', 'spawnSync', 'fork', 'exec', 'execSync', 'execFile', 'execFileSync'] as const) {
  (childProcess as unknown as Record<string, unknown>)[name] = () => refuse(`child_process.${name}`);
}

// `import { connect } from 'node:net'` reads the ESM named exports: bring them in line.
syncBuiltinESMExports();
