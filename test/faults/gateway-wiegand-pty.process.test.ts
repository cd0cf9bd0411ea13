// Issue 17, finding 1, as it happened: the real gateway process with Wiegand → serial converters
// on socat PTYs, paced at their 9600 baud (protocols.md §3.6): the front door on a WIE232-style
// `wiegand-hex` line, the meeting room on an S4A-style `wiegand-decimal` line. Each of 35 taps
// is a disturbance (a noise burst, a card line cut after 2 characters, or another card's line
// with a character hit by a framing error, which the serial layer delivers as 00: it reports no
// parity or framing errors), 150–250 ms of idle line, then a member's card. Before the idle-gap resync 21 of 35 such taps were lost on the
// hex line and a cut line glued to the card made a deny for a card nobody presented; now each
// tap is granted exactly once and nothing else is decided.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { fingerprint } from '../../contracts/signing.ts';
import { asciiBytes, encodeWiegandDecimalLine, encodeWiegandHexLine } from '../../firmware-bridge/index.ts';
import { DEMO_DIR, makeTestSite, type TestSite } from '../helpers/site.ts';
import { startStack, gatewayReady, eventually, type Stack } from '../helpers/stack.ts';
import { ptyPair, type PtyPair } from '../gateway/helpers/pty.ts';
import { observe, type Observer, type Seen } from '../gateway/helpers/observer.ts';

const BAUD = 9600;
const TAPS = 35;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A pause inside a paced line longer than this is a gap on the "wire" (idle-gap.ts: 100 ms, minus a margin). */
const WRITER_STALL_MS = 60;

// W26 facility 213, card 2000 (protocols.md §3.4): `D507D0\r` on the hex line (format `hex`),
// `0013961168\r\n` on the decimal line (format `dec10`). Jonas and Lars carry them.
const HEX_CARD = 'D507D0';
const DEC_CARD = '0013961168';
// Another card's line, cut after 2 characters by a loose wire (facility 12, §3.4).
const HEX_OTHER = encodeWiegandHexLine(12, 62363);
const DEC_OTHER = encodeWiegandDecimalLine(848795);

/** Line noise: characters a disturbed line produces, hex digits among them (seeded, no CR/LF). */
function noise(i: number): Uint8Array {
  const alphabet = asciiBytes('0123456789ABCDEFZ~?');
  const extra = [0x00, 0xff, 0x80, 0x13];
  let x = (i + 1) * 2654435761;
  const out: number[] = [];
  for (let k = 0; k < 3 + (i % 9); k++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out.push(k % 4 === 3 ? extra[x % extra.length]! : alphabet[x % alphabet.length]!);
  }
  return Uint8Array.from(out);
}

describe('Wiegand converter lines after noise and cut lines (issue 17 finding 1)', () => {
  let site: TestSite;
  let stack: Stack;
  let hex: PtyPair;
  let dec: PtyPair;
  let mqtt: Observer;

  beforeAll(async () => {
    site = await makeTestSite((raw) => {
      const dir = String(raw.gateways[0].dataDir).replace(/\/[^/]+$/, '');
      const members = parse(readFileSync(join(DEMO_DIR, 'members.yaml'), 'utf8'));
      for (const m of members.members) {
        if (m.id === 'jonas') m.cards.push(HEX_CARD);
        if (m.id === 'lars') m.cards.push(DEC_CARD);
      }
      raw.services.seed = join(dir, 'members.yaml');
      writeFileSync(raw.services.seed, stringify(members));
      raw.doors[0].reader = { driver: 'serial', id: 'front-reader', path: `${dir}/front-reader-dev`, protocol: 'wiegand-hex', format: 'hex' };
      raw.doors[1].reader = { driver: 'serial', id: 'meeting-reader', path: `${dir}/meeting-reader-dev`, protocol: 'wiegand-decimal', format: 'dec10' };
    });
    hex = await ptyPair(site.dir, 'front-reader');
    dec = await ptyPair(site.dir, 'meeting-reader');
    stack = await startStack(site);
    await gatewayReady(stack.baseUrl, 'gw-main');
    mqtt = await observe(site);
  });

  afterAll(async () => {
    mqtt?.close();
    await stack?.stop();
    await hex?.kill();
    await dec?.kill();
    site?.cleanup();
  });

  const accessEvents = (door: string): Seen[] => mqtt.on(`door/${door}/event`).filter((m) => m.payload.type === 'access');

  async function run(door: string, pty: PtyPair, card: Uint8Array, uid: string, cut: Uint8Array) {
    const fp = fingerprint(site.secrets.siteKey, uid);
    // The port may still be opening and the access list arriving: tap until one is granted.
    await eventually(
      async () => {
        if (accessEvents(door).some((e) => e.payload.fingerprint === fp && e.payload.decision === 'granted')) return true;
        await pty.writePaced(card, BAUD);
        await sleep(200);
        return false;
      },
      20_000,
      'a first grant',
    );
    await sleep(400); // past the 300 ms hold of a repeated card
    const start = accessEvents(door).length;
    let lost = 0;
    let redone = 0;
    for (let i = 0; i < TAPS; i++) {
      const before = accessEvents(door).length;
      const framingError = cut.slice();
      framingError[3] = 0x00;
      await pty.writePaced([noise(i), cut.subarray(0, 2), framingError][i % 3]!, BAUD);
      await sleep(150 + ((i * 37) % 101)); // 150–250 ms of idle line
      const stalledMs = await pty.writePaced(card, BAUD);
      const until = Date.now() + 1500;
      while (accessEvents(door).length === before && Date.now() < until) await sleep(10);
      const decided = accessEvents(door).length > before;
      await sleep(350); // the next tap is a new presentation, not the held card
      if (!decided && stalledMs > WRITER_STALL_MS && redone < TAPS) {
        // This process was descheduled mid-line (2 shared cores): the card went out with a
        // pause no converter makes, so the gateway rightly dropped it. Tap again.
        redone++;
        i--;
        continue;
      }
      if (!decided) lost++;
    }
    const taps = accessEvents(door).slice(start);
    return {
      granted: taps.filter((e) => e.payload.decision === 'granted' && e.payload.fingerprint === fp).length,
      // Whether a stray decision was for this card (the list) or for a card nobody presented (the line).
      other: taps
        .filter((e) => e.payload.decision !== 'granted' || e.payload.fingerprint !== fp)
        .map((e) => `${e.payload.decision}/${e.payload.reason}/${e.payload.fingerprint === fp ? 'this card' : 'another card'}`),
      lost,
      redone,
    };
  }

  it(`wiegand-hex: ${TAPS} taps after noise, a cut line or a framing error, each granted exactly once, no deny for an invented card`, async () => {
    const r = await run('front', hex, encodeWiegandHexLine(213, 2000), HEX_CARD, HEX_OTHER);
    console.log(`wiegand-hex: ${JSON.stringify(r)}`);
    expect(r).toMatchObject({ granted: TAPS, other: [], lost: 0 });
  }, 120_000);

  it(`wiegand-decimal: ${TAPS} taps after noise, a cut line or a framing error, each granted exactly once, nothing else decided`, async () => {
    const r = await run('meeting', dec, encodeWiegandDecimalLine(13961168), DEC_CARD, DEC_OTHER);
    console.log(`wiegand-decimal: ${JSON.stringify(r)}`);
    expect(r).toMatchObject({ granted: TAPS, other: [], lost: 0 });
  }, 120_000);
});
