// Which Node runs smartspace: 22.12 or newer, and one line saying which and from where.
import { describe, expect, it } from 'vitest';
import { currentRuntime, isSupported, runtimeLine, unsupportedReason } from '../../scripts/lib/node-runtime.ts';

describe('node runtime', () => {
  it('accepts Node 22.12 and newer, refuses 20 and early 22', () => {
    expect(['v22.12.0', 'v22.23.3', 'v24.21.0', 'v26.10.0', 'v30.0.0'].filter(isSupported)).toHaveLength(5);
    expect(['v20.20.2', 'v22.11.0', 'v18.19.1'].some(isSupported)).toBe(false);
  });

  it('names the Node that runs, where it came from and the one that runs npm', () => {
    expect(runtimeLine({ version: 'v24.21.0', bundled: true, machineVersion: 'v20.20.2' })).toBe(
      'Node.js v24.21.0 from node_modules (the npm registry\'s "node" package); this machine\'s Node, which runs npm, is v20.20.2',
    );
    expect(runtimeLine({ version: 'v24.21.0', bundled: false })).toBe('Node.js v24.21.0');
    expect(currentRuntime({ npm_config_user_agent: `npm/11.19.1 node/${process.version} linux x64` }).machineVersion).toBeUndefined();
  });

  it('says why Node 20 cannot run it', () => {
    expect(unsupportedReason({ version: 'v20.20.2', bundled: false })).toMatch(/^smartspace needs Node\.js 22\.12 or newer .* this is v20\.20\.2\./);
  });

  it('these tests run on a supported Node', () => {
    console.log(runtimeLine());
    expect(unsupportedReason()).toBeNull();
  });
});
