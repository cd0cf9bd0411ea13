// Stand-ins for resources that a lifecycle component opens at start (a database, a history
// store) but that other components are built with: calls go to the resource once it is open,
// and throw before that (nothing may use it before the lifecycle has started it).

/** An object whose every property is read from `get()` at the time of use. */
export function lazy<T extends object>(get: () => T): T {
  return new Proxy({} as T, {
    get(_target, key) {
      const current = get();
      const v = Reflect.get(current, key, current) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(current) : v;
    },
    has: (_target, key) => Reflect.has(get(), key),
  });
}

export interface Deferred<T extends object> {
  /** The stand-in to hand to the components being built. */
  readonly ref: T;
  set(value: T | null): void;
  readonly current: T | null;
}

export function deferred<T extends object>(name: string): Deferred<T> {
  let current: T | null = null;
  const ref = lazy(() => {
    if (!current) throw new Error(`${name} is not open (not started yet, or stopped)`);
    return current;
  });
  return {
    ref,
    set: (v) => (current = v),
    get current() {
      return current;
    },
  };
}
