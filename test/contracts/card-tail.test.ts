import { describe, expect, it } from 'vitest';
import { cardTail, pinUid } from '../../contracts/readers.ts';
import { matches } from '../../contracts/patterns.ts';

describe('cardTail: the end of a card number a host can read, never the whole of it', () => {
  it('takes the last four letters or digits, upper-case', () => {
    expect(cardTail('04CAFE0A01')).toBe('0A01'); // a MIFARE UID
    expect(cardTail('04cafe0a01')).toBe('0A01');
    expect(cardTail('0012345678')).toBe('5678'); // an EM card printed dec10
    expect(cardTail('123,45678')).toBe('5678'); // printed w26 (facility,card)
    for (const uid of ['04CAFE0A01', '0012345678', '123,45678']) expect(matches('cardTail', cardTail(uid)!)).toBe(true);
  });

  it('gives nothing for a PIN, or a number too short to keep most of it back', () => {
    expect(cardTail(pinUid('47114711'))).toBeUndefined();
    expect(cardTail('AB12C')).toBeUndefined();
  });
});
