// Which Node.js runs smartspace, and whether it may. Node 24 LTS is the runtime we ship and test
// (22 and 26 work too). A machine whose own Node is older (Node 20 on these CI machines, an old
// one on Raspberry Pi OS) still runs `npm ci && npm start`: the optional dependency `node`, the
// npm registry's package that ships the official binary, puts Node 24 in node_modules/.bin,
// which `npm run` puts first on PATH. Run directly, this prints the one line and fails on an
// unsupported Node (`npm test` starts with it).
import { fileURLToPath } from 'node:url';
import { relative, sep } from 'node:path';

/** The oldest Node we support: better-sqlite3 13, Node-RED 5 and vitest 5 all need 22.12+. */
export const MIN_NODE = { major: 22, minor: 12 } as const;

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface NodeRuntime {
  /** process.version of the running Node, e.g. v24.21.0. */
  version: string;
  /** True when it is the binary from node_modules (the registry's `node` package). */
  bundled: boolean;
  /** The Node that runs npm itself, when npm started us and it is another version. */
  machineVersion?: string;
}

export function isSupported(version: string): boolean {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
  return major > MIN_NODE.major || (major === MIN_NODE.major && minor >= MIN_NODE.minor);
}

export function currentRuntime(env: NodeJS.ProcessEnv = process.env): NodeRuntime {
  const rel = relative(ROOT, process.execPath);
  const bundled = rel.split(sep)[0] === 'node_modules';
  // npm says which Node it runs on: "npm/11.19.1 node/v20.20.2 linux x64 workspaces/false".
  const npmNode = /\bnode\/(v\d+\.\d+\.\d+)/.exec(env.npm_config_user_agent ?? '')?.[1];
  return { version: process.version, bundled, ...(npmNode && npmNode !== process.version ? { machineVersion: npmNode } : {}) };
}

/** One line saying which Node runs and where it came from. */
export function runtimeLine(rt: NodeRuntime = currentRuntime()): string {
  const from = rt.bundled ? ' from node_modules (the npm registry\'s "node" package)' : '';
  const machine = rt.machineVersion ? `; this machine's Node, which runs npm, is ${rt.machineVersion}` : '';
  return `Node.js ${rt.version}${from}${machine}`;
}

/** Why this Node cannot run smartspace, or null when it can. */
export function unsupportedReason(rt: NodeRuntime = currentRuntime()): string | null {
  if (isSupported(rt.version)) return null;
  return (
    `smartspace needs Node.js ${MIN_NODE.major}.${MIN_NODE.minor} or newer (24 LTS recommended); this is ${rt.version}. ` +
    '`npm ci` brings Node 24 from the npm registry (the optional dependency "node") unless optional dependencies ' +
    'are omitted or the registry has no build for this machine (32-bit ARM: use a 64-bit OS); run through npm (npm start, npm test).'
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const reason = unsupportedReason();
  if (reason) {
    console.error(reason);
    process.exit(1);
  }
  console.log(runtimeLine());
}
