import { describe, expect, it } from 'vitest';
import { fileNameProblem, MAX_NAME_BYTES, reportableName } from '../../lambdas/core/files/file-name-rules.ts';

describe('fileNameProblem', () => {
  it.each([
    'census.csv',
    'INTERNAL [Flexible Benefits x SFTP] Dry-run - PROD #11.csv',
    'Conceição 2026.csv',
    '社員名簿.csv',
    'a'.repeat(MAX_NAME_BYTES),
    'é'.repeat(MAX_NAME_BYTES / 2 - 0.5) + 'a',
  ])('accepts %j', (name) => {
    // Act
    const problem = fileNameProblem(name);

    // Assess
    expect(problem).toBeUndefined();
  });

  it.each([
    ['a\nb.csv', /control character \(U\+000A/],
    ['a\tb.csv', /control character \(U\+0009/],
    ['a\u0000.csv', /control character \(U\+0000/],
    ['a\u007f.csv', /control character \(U\+007F/],
    ['a\u0085.csv', /control character \(U\+0085/],
    ['Jos\uFFFD.csv', /not valid UTF-8/],
    ['x\uD800.csv', /not valid UTF-8/],
    ['a'.repeat(MAX_NAME_BYTES + 1), /256 bytes long; at most 255 bytes/],
    ['é'.repeat(128), /256 bytes long/],
  ])('refuses %j with the rule it breaks', (name, reason) => {
    // Act
    const problem = fileNameProblem(name);

    // Assess
    expect(problem).toMatch(reason);
  });
});

describe('reportableName', () => {
  it('keeps a valid name exactly', () => {
    // Act
    const name = reportableName('Conceição [1] #2.csv');

    // Assess
    expect(name).toBe('Conceição [1] #2.csv');
  });

  it('replaces control characters and U+FFFD so the stand-in follows the rules', () => {
    // Act
    const name = reportableName('a\nb\uFFFD.csv');

    // Assess
    expect(name).toBe('a_b_.csv');
    expect(fileNameProblem(name)).toBeUndefined();
  });

  it('cuts a ~950-byte name at a character boundary and keeps two such names apart', () => {
    // Prepare
    const long = 'ç'.repeat(470) + 'A.csv';
    const other = 'ç'.repeat(470) + 'B.csv';

    // Act
    const one = reportableName(long);
    const two = reportableName(other);

    // Assess
    expect(fileNameProblem(one)).toBeUndefined();
    expect(Buffer.byteLength(one)).toBeLessThanOrEqual(MAX_NAME_BYTES);
    expect(one.startsWith('ç'.repeat(100))).toBe(true);
    expect(one).not.toBe(two);
    expect(reportableName(long)).toBe(one);
  });
});
