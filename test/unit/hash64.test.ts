import { describe, expect, it } from 'vitest';
import { Hash64 } from '../../lambdas/core/common/hash64.ts';
import { identitySeeds } from '../../lambdas/core/eligibility/diff/identity-seeds.ts';
import { hash64, rowFingerprint } from '../../lambdas/core/eligibility/read/fingerprint.ts';

// Fingerprints are stored on every employee item: a change to the hash's outputs would make every
// stored employee look changed at the next upload. These values were taken before the two hash
// implementations became one, and must never change.
describe('the one 64-bit hash keeps its outputs', () => {
  it('hashes parts as the stored fingerprints were hashed', () => {
    expect(hash64([])).toBe('488bdcb81aee8d83');
    expect(hash64([''])).toBe('c9fc091c00465289');
    expect(hash64(['a'])).toBe('d1b7a63c56f55544');
    expect(hash64(['ab', 'c'])).toBe('a18b8010ac6bf3d0');
    expect(hash64(['a', 'bc'])).toBe('15357980f53b4131');
    expect(hash64(['Zoë Ölund', '12345678909', 'x@y.com'])).toBe('6cf318ae250972e5');
    expect(rowFingerprint('12345678000190', { name: 'Ana', email: 'a@b.c' }, ['email', 'name'], [])).toBe('779ab04d11f421c9');
  });

  it('hashes seeded values and their stored bytes alike', () => {
    const h = new Hash64();
    const pair = (seed: number, value: string) => {
      h.of(seed, value);
      return [h.hi, h.lo];
    };
    expect(pair(0, '')).toEqual([451841411, 1217125560]);
    expect(pair(1, 'a')).toEqual([1593997564, 2621807244]);
    expect(pair(0x5eed, 'ab')).toEqual([2508367744, 1305563224]);
    expect(pair(42, 'Zoë Ölund')).toEqual([2196323555, 1822482543]);
    expect(pair(7, 'abc')).toEqual([318985230, 3179517696]);
    h.ofBytes(7, new TextEncoder().encode('abc'), 0, 3, false);
    expect([h.hi, h.lo]).toEqual([318985230, 3179517696]);
    const wide = new Uint8Array([0x5a, 0, 0xeb, 0, 0x20, 0x01]);
    h.ofBytes(9, wide, 0, 3, true);
    const wideBytes = [h.hi, h.lo];
    expect(wideBytes).toEqual(pair(9, 'Zë\u0120'));
    expect(identitySeeds('12345678000190')).toEqual([1990369232, 1094620718, 1147111290]);
  });

  it('hashes stored bytes as their string at every length and offset, narrow and wide', () => {
    const h = new Hash64();
    const text = 'ana.pereira0@empresa.com.br Ölund Zoë \u0120\u2603';
    for (let length = 0; length <= 12; length++) {
      for (const from of [0, 1, 5, 30]) {
        const value = text.slice(from, from + length);
        const wide = [...value].some((c) => c.charCodeAt(0) > 0xff);
        const bytes = new Uint8Array(3 + value.length * 2);
        for (let i = 0; i < value.length; i++) {
          const code = value.charCodeAt(i);
          if (wide) {
            bytes[3 + 2 * i] = code & 0xff;
            bytes[3 + 2 * i + 1] = code >>> 8;
          } else bytes[3 + i] = code;
        }
        h.of(11, value);
        const expected = [h.hi, h.lo];
        h.ofBytes(11, bytes, 3, value.length, wide);
        expect([h.hi, h.lo], `${JSON.stringify(value)} (${wide ? 'wide' : 'narrow'})`).toEqual(expected);
      }
    }
  });
});
