// The <smartspace-availability src="https://space.example/api/public/availability"> web
// component, served as one small script (/public/widget.js) for the space's own website. It runs
// on that site's origin: it fetches the JSON endpoint (CORS, no cookies), builds its DOM with
// textContent and createElementNS only (nothing from the answer is parsed as HTML), and styles its
// shadow root with a constructed stylesheet (adoptedStyleSheets), which the host page's CSP
// style-src does not govern. The host page's CSP needs this origin in script-src (the script) and
// connect-src (the JSON). Plain ES2017 in a string: it is served as it is, never bundled.
import { PUBLIC_WORDS } from './words.ts';

const WORDS = JSON.stringify(PUBLIC_WORDS);

export const WIDGET_JS = `(function () {
'use strict';
if (!window.customElements || customElements.get('smartspace-availability')) return;
var W = ${WORDS};
var CSS = ':host{display:block;font:15px/1.4 system-ui,sans-serif;color:inherit;max-width:22rem}'
  + '.n{font-size:2.2rem;font-weight:700;line-height:1}.s{opacity:.75}ul{margin:.4rem 0;padding:0;list-style:none}'
  + 'li{display:flex;justify-content:space-between;gap:1rem}svg{width:100%;height:auto;margin-top:.4rem}'
  + '.m{fill:#2d6a4f}.b{fill:#b7dfc5}.d{fill:#ccc}.x{font-size:10px;fill:currentColor;opacity:.7}';
var NS = 'http://www.w3.org/2000/svg';
function el(tag, cls, text) { var e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = String(text); return e; }
function svg(tag, attrs) { var e = document.createElementNS(NS, tag); for (var k in attrs) e.setAttribute(k, String(attrs[k])); return e; }
function pct(x) { return Math.round(x * 100) + ' %'; }
class SmartspaceAvailability extends HTMLElement {
  static get observedAttributes() { return ['src', 'lang']; }
  connectedCallback() {
    if (!this.shadowRoot) {
      var root = this.attachShadow({ mode: 'open' });
      if ('adoptedStyleSheets' in root && typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype) {
        var sheet = new CSSStyleSheet(); sheet.replaceSync(CSS); root.adoptedStyleSheets = [sheet];
      } else { root.appendChild(el('style', '', CSS)); }
      this.box = root.appendChild(el('div'));
    }
    var self = this;
    this.load();
    this.timer = setInterval(function () { self.load(); }, 60000);
  }
  disconnectedCallback() { clearInterval(this.timer); }
  attributeChangedCallback() { if (this.box) this.load(); }
  lang2() {
    var l = (this.getAttribute('lang') || document.documentElement.lang || navigator.language || 'en').toLowerCase();
    return l.indexOf('da') === 0 ? 'da' : 'en';
  }
  load() {
    var src = this.getAttribute('src'), self = this;
    if (!src) return;
    fetch(src, { credentials: 'omit', mode: 'cors' })
      .then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); return r.json(); })
      .then(function (a) { self.draw(a); })
      .catch(function () { self.box.replaceChildren(el('p', 's', '–')); });
  }
  draw(a) {
    var w = W[this.lang2()], box = this.box, f = el('div');
    // Unknown desks are neither free nor taken: all unknown means the sensors are silent, not "full".
    if (a.desks > 0 && a.unknown === a.desks) f.appendChild(el('p', 's', w.noSensors + ' · ' + a.site.name));
    else {
      f.appendChild(el('div', 'n', a.free));
      f.appendChild(el('div', 's', w.freeNow + ' (' + w.ofDesks + ' ' + a.desks + (a.unknown ? '; ' + a.unknown + ' ' + w.unknown : '') + ') · ' + a.site.name));
    }
    var ul = el('ul');
    a.zones.forEach(function (z) { var li = el('li'); li.appendChild(el('span', '', z.name)); li.appendChild(el('span', '', z.free + ' ' + w.ofDesks + ' ' + z.desks + (z.unknown ? ' (' + z.unknown + ' ' + w.unknown + ')' : ''))); ul.appendChild(li); });
    f.appendChild(ul);
    var hours = a.today.open.map(function (o) { return o.from + '–' + o.to; }).join(', ');
    f.appendChild(el('div', 's', (hours ? w.openToday + ' ' + hours : w.closedToday) + (a.hostIn === true ? ' · ' + w.hostIn : '')));
    var cells = a.forecast ? a.forecast.cells.filter(function (c) { return c.day === a.today.day; }) : [];
    if (cells.length) {
      var s = svg('svg', { viewBox: '0 0 ' + cells.length * 24 + ' 116', role: 'img', 'aria-label': w.forecast });
      cells.forEach(function (c, i) {
        var x = i * 24 + 3, g = svg('g', {}), t = svg('title', {});
        t.textContent = c.hour + ':00 ' + (c.median === null ? w.notEnough : w.median + ' ' + pct(c.median));
        g.appendChild(t);
        if (c.median === null) g.appendChild(svg('rect', { 'class': 'd', x: x, y: 88, width: 18, height: 12 }));
        else {
          g.appendChild(svg('rect', { 'class': 'b', x: x, y: 100 - c.p75 * 100, width: 18, height: (c.p75 - c.p25) * 100 }));
          g.appendChild(svg('rect', { 'class': 'm', x: x + 4, y: 100 - c.median * 100, width: 10, height: c.median * 100 }));
        }
        var lab = svg('text', { 'class': 'x', x: x + 9, y: 113, 'text-anchor': 'middle' }); lab.textContent = (c.hour < 10 ? '0' : '') + c.hour;
        g.appendChild(lab); s.appendChild(g);
      });
      f.appendChild(el('div', 's', w.forecast));
      f.appendChild(s);
    }
    box.replaceChildren(f);
  }
}
customElements.define('smartspace-availability', SmartspaceAvailability);
})();
`;
