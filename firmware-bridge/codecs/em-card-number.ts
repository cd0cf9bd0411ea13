// Printed card-number formats of a 5-byte EM4100 ID `V B1 B2 B3 B4` (protocols.md §1.4).
// Vendors print the same card differently, so the format is chosen per reader.
import type { CardFormat } from '../../contracts/readers.ts';

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** `data` is the 5 decoded ID bytes. */
export function formatEmCardNumber(data: ArrayLike<number>, format: CardFormat): string {
  const v = data[0]! & 0xff;
  const id32 = (((data[1]! & 0xff) << 24) | ((data[2]! & 0xff) << 16) | ((data[3]! & 0xff) << 8) | (data[4]! & 0xff)) >>> 0;
  switch (format) {
    case 'hex': {
      let s = '';
      for (let i = 0; i < 5; i++) s += (data[i]! & 0xff).toString(16).toUpperCase().padStart(2, '0');
      return s;
    }
    case 'dec10':
      return pad(id32, 10);
    case 'w26':
      return `${pad((id32 >>> 16) & 0xff, 3)},${pad(id32 & 0xffff, 5)}`;
    case 'w26-8':
      return pad((id32 >>> 16) & 0xff, 3) + pad(id32 & 0xffff, 5);
    case 'dec40':
      // 40 bits fit exactly in a double.
      return String(v * 0x1_0000_0000 + id32);
  }
}
