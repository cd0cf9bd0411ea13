// The reader protocols behind a serial reader binding, fed byte-exact (protocols.md §1, §3.6):
// one card reads the same on an EM reader in w26 format and on a Wiegand converter; keypad PINs.
import { describe, expect, it } from 'vitest';
import { asciiBytes, encodeRdm6300, encodeWiegandDecimalKey, encodeWiegandDecimalLine, encodeWiegandHexLine, fromHex } from '../../firmware-bridge/index.ts';
import { createReaderProtocol, formatWiegandData } from '../../gateway/drivers/serial/reader-protocols.ts';

describe('reader protocols', () => {
  it('the EM card 62E3086CED reads 008,27885 on the RDM6300 (w26) and on both converter kinds (§1.5, §3.4, §3.6)', () => {
    const rdm = createReaderProtocol('rdm6300', { format: 'w26' });
    expect(rdm.receive(fromHex('02 36 32 45 33 30 38 36 43 45 44 30 38 03'), 0).cards).toEqual(['008,27885']);
    const hex = createReaderProtocol('wiegand-hex', {});
    expect(hex.receive(encodeWiegandHexLine(8, 27885), 0).cards).toEqual(['008,27885']);
    const dec = createReaderProtocol('wiegand-decimal', {});
    expect(dec.receive(encodeWiegandDecimalLine(8 * 65536 + 27885), 0).cards).toEqual(['008,27885']);
  });

  it('formats a Wiegand value as the site prints its cards', () => {
    expect(formatWiegandData(0x0d507d0, 24, 'w26')).toBe('213,02000');
    expect(formatWiegandData(0x0d507d0, 24, 'w26-8')).toBe('21302000');
    expect(formatWiegandData(0x0d507d0, 24, 'hex')).toBe('D507D0');
    expect(formatWiegandData(0x00d507d0, 32, 'dec10')).toBe('0013961168');
  });

  it('rejects bad converter lines and counts them; a held card repeats once per presentation', () => {
    const hex = createReaderProtocol('wiegand-hex', { holdMs: 300 });
    expect(hex.receive(asciiBytes('08ZZ6D\r0123\r'), 0).cards).toEqual([]);
    expect(hex.stats().badFormat).toBe(2);
    const line = encodeWiegandHexLine(1, 1);
    expect(hex.receive(line, 1000).cards).toEqual(['001,00001']);
    expect(hex.receive(line, 1100).cards).toEqual([]);
    expect(hex.receive(line, 1500).cards).toEqual(['001,00001']);
  });

  it('a keypad PIN ended by # is the credential PIN:<digits>; * clears it', () => {
    const dec = createReaderProtocol('wiegand-decimal', {});
    const keys = (s: string) => Uint8Array.from([...s].flatMap((c) => [...encodeWiegandDecimalKey(c === '*' ? 10 : c === '#' ? 11 : Number(c), 4)]));
    expect(dec.receive(keys('1234#'), 0).cards).toEqual(['PIN:1234']);
    expect(dec.receive(keys('99*5678#'), 10).cards).toEqual(['PIN:5678']);
    expect(dec.receive(keys('12#'), 20).cards).toEqual([]); // too short
    expect(dec.receive(encodeRdm6300('0400D4E5F6'), 30).cards).toEqual([]); // not this protocol: noise
  });
});
