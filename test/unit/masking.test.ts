import { describe, expect, it } from 'vitest';
import { maskNationalId, safeEcho } from '../../lambdas/core/eligibility/masking.ts';

describe('maskNationalId', () => {
  it.each([
    { raw: '764.254.640-89', masked: '*********89' },
    { raw: '76425464089', masked: '*********89' },
    { raw: ' 151 846 620 65 ', masked: '*********65' },
    { raw: '123-45-6789', masked: '*******89' },
    { raw: 'AB12', masked: '**12' },
    { raw: '89', masked: '**' },
    { raw: '7', masked: '*' },
    { raw: '', masked: '' },
  ])('masks $raw as $masked', ({ raw, masked }) => {
    // Act
    const result = maskNationalId(raw);

    // Assess
    expect(result).toBe(masked);
  });
});

describe('safeEcho', () => {
  it.each([
    { text: 'José da Silva', echoed: 'José da Silva' },
    { text: '04571-926', echoed: '04571-926' },
    { text: 'CC-10', echoed: 'CC-10' },
    { text: '764.254.640-89', echoed: '*********89' },
    { text: 'cpf 76425464089 ana', echoed: 'cpf *********89 ana' },
    { text: '37.211.173/0001-69', echoed: '************69' },
  ])('echoes $text as $echoed', ({ text, echoed }) => {
    // Act
    const result = safeEcho(text);

    // Assess
    expect(result).toBe(echoed);
  });

  it('shortens very long values', () => {
    // Act
    const result = safeEcho('x'.repeat(500));

    // Assess
    expect(result).toHaveLength(80);
    expect(result.endsWith('…')).toBe(true);
  });
});
