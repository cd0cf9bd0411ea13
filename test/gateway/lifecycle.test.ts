// The one Lifecycle (runtime/lifecycle.ts) that gateway and services start and stop with.
import { describe, it, expect } from 'vitest';
import { Lifecycle, StartError } from '../../runtime/lifecycle.ts';

function recorder() {
  const log: string[] = [];
  const c = (name: string, failStart = false) => ({
    name,
    start: () => {
      if (failStart) throw new Error(`${name} broke`);
      log.push(`start ${name}`);
    },
    stop: () => void log.push(`stop ${name}`),
  });
  return { log, c };
}

describe('Lifecycle', () => {
  it('starts in order and stops in reverse, once', async () => {
    const { log, c } = recorder();
    const lc = new Lifecycle().add(c('a')).add(c('b')).add(c('c'));
    await lc.start();
    await lc.stop();
    await lc.stop();
    expect(log).toEqual(['start a', 'start b', 'start c', 'stop c', 'stop b', 'stop a']);
  });

  it('a failed start stops what had started and names the component', async () => {
    const { log, c } = recorder();
    const lc = new Lifecycle().add(c('a')).add(c('b')).add(c('c', true)).add(c('d'));
    const err = await lc.start().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StartError);
    expect((err as StartError).component).toBe('c');
    expect(((err as StartError).cause as Error).message).toBe('c broke');
    expect(log).toEqual(['start a', 'start b', 'stop b', 'stop a']);
  });

  it('stops every component even when one fails to stop', async () => {
    const { log, c } = recorder();
    const failing = { name: 'x', start: () => undefined, stop: () => Promise.reject(new Error('no')) };
    const errors: string[] = [];
    const lc = new Lifecycle().add(c('a')).add(failing).add(c('b'));
    await lc.start();
    await lc.stop((name) => errors.push(name));
    expect(log).toEqual(['start a', 'start b', 'stop b', 'stop a']);
    expect(errors).toEqual(['x']);
  });
});
