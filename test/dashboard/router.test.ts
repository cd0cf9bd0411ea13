import { afterEach, describe, expect, it, vi } from 'vitest';
import { ROLE_ROUTES, Router, resolveRoute, routesOf } from '../../dashboard/src/router.ts';

afterEach(() => {
  history.replaceState(null, '', '/');
  document.body.replaceChildren();
});

describe('routes per role', () => {
  it('gives each role its screens, home first', () => {
    expect(ROLE_ROUTES.member).toEqual(['home', 'bookings', 'today', 'mine']);
    expect(ROLE_ROUTES.host).toEqual(['home', 'floor', 'activity', 'today', 'bookings', 'reports', 'members', 'plans', 'cards', 'emergency', 'mine']);
    expect(ROLE_ROUTES.operator).toEqual([
      'home',
      'gateways',
      'floor',
      'activity',
      'today',
      'bookings',
      'reports',
      'members',
      'plans',
      'cards',
      'audit',
      'emergency',
      'mine',
    ]);
  });

  it('adds the network screen for a network coordinator of any role, and only for one', () => {
    expect(routesOf({ role: 'member', coordinator: true })).toEqual(['home', 'bookings', 'today', 'network', 'mine']);
    expect(routesOf({ role: 'host' })).not.toContain('network');
    expect(resolveRoute('/network', 'member', true)).toEqual({ route: 'network', redirect: null });
    expect(resolveRoute('/network', 'operator')).toEqual({ route: 'home', redirect: '/' });
  });

  it('resolves a path to the screen, with or without a trailing slash or query', () => {
    expect(resolveRoute('/', 'member')).toEqual({ route: 'home', redirect: null });
    expect(resolveRoute('/today', 'member')).toEqual({ route: 'today', redirect: null });
    expect(resolveRoute('/floor/', 'host')).toEqual({ route: 'floor', redirect: null });
    expect(resolveRoute('/gateways?x=1#top', 'operator')).toEqual({ route: 'gateways', redirect: null });
  });

  it('sends another role’s screen or an unknown path home', () => {
    expect(resolveRoute('/gateways', 'member')).toEqual({ route: 'home', redirect: '/' });
    expect(resolveRoute('/gateways', 'host')).toEqual({ route: 'home', redirect: '/' });
    expect(resolveRoute('/floor', 'member')).toEqual({ route: 'home', redirect: '/' });
    expect(resolveRoute('/no-such-page', 'operator')).toEqual({ route: 'home', redirect: '/' });
  });
});

describe('router', () => {
  it('pushes a path and tells; back comes through popstate', () => {
    const seen: string[] = [];
    const router = new Router((p) => seen.push(p));
    router.start();
    router.navigate('/floor');
    expect(location.pathname).toBe('/floor');
    router.navigate('/floor'); // same place: nothing
    router.navigate('/today', { replace: true });
    expect(seen).toEqual(['/floor', '/today']);
    history.replaceState(null, '', '/activity');
    window.dispatchEvent(new PopStateEvent('popstate'));
    expect(seen.at(-1)).toBe('/activity');
    router.stop();
    window.dispatchEvent(new PopStateEvent('popstate'));
    expect(seen).toHaveLength(3);
  });

  function click(link: HTMLAnchorElement, init: MouseEventInit = {}): MouseEvent {
    const ev = new MouseEvent('click', { bubbles: true, cancelable: true, composed: true, button: 0, ...init });
    link.dispatchEvent(ev);
    return ev;
  }

  it('follows a plain click on an in-app link without a page load', () => {
    const onChange = vi.fn();
    const router = new Router(onChange);
    const link = document.createElement('a');
    link.href = '/floor';
    document.body.append(link);
    document.body.addEventListener('click', (ev) => router.follow(ev), { once: true });
    const ev = click(link);
    expect(ev.defaultPrevented).toBe(true);
    expect(location.pathname).toBe('/floor');
    expect(onChange).toHaveBeenCalledWith('/floor');
  });

  it('follows a floor plan desk (an SVG link) to the bookings screen, keeping its query', () => {
    const onChange = vi.fn();
    const router = new Router(onChange);
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    const link = document.createElementNS('http://www.w3.org/2000/svg', 'a');
    link.setAttribute('href', '/bookings?desk=d01');
    const shape = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
    link.append(shape);
    svg.append(link);
    document.body.append(svg);
    document.body.addEventListener('click', (ev) => router.follow(ev), { once: true });
    const ev = new MouseEvent('click', { bubbles: true, cancelable: true, composed: true, button: 0 });
    shape.dispatchEvent(ev);
    expect(ev.defaultPrevented).toBe(true);
    expect(location.pathname + location.search).toBe('/bookings?desk=d01');
    expect(onChange).toHaveBeenCalledWith('/bookings?desk=d01');
    router.navigate('/bookings?desk=d01'); // same place: nothing
    router.navigate('/bookings'); // its tab: stay, with the pick
    expect(location.pathname + location.search).toBe('/bookings?desk=d01');
    expect(onChange).toHaveBeenCalledTimes(1);
    router.navigate('/bookings?room=meeting'); // another pick: goes
    expect(onChange).toHaveBeenCalledTimes(2);
    history.replaceState(null, '', '/');
  });

  it('leaves new-tab clicks, other sites and target links to the browser', () => {
    const router = new Router(vi.fn());
    const make = (href: string, target = '') => {
      const a = document.createElement('a');
      a.href = href;
      if (target) a.target = target;
      document.body.append(a);
      return a;
    };
    const results: boolean[] = [];
    document.body.addEventListener('click', (ev) => {
      results.push(router.follow(ev));
      ev.preventDefault(); // keep happy-dom from navigating
    });
    click(make('/floor'), { ctrlKey: true });
    click(make('/floor'), { button: 1 });
    click(make('https://example.org/'));
    click(make('/floor', '_blank'));
    expect(results).toEqual([false, false, false, false]);
    expect(location.pathname).toBe('/');
  });
});
