/** Valid Brazilian IDs for tests: CPFs computed from a number, so each test gets distinct people. */

function checkDigit(digits: number[]): number {
  const length = digits.length;
  const sum = digits.reduce((acc, d, i) => acc + d * (length + 1 - i), 0);
  const rest = (sum * 10) % 11;
  return rest === 10 ? 0 : rest;
}

/** The n-th valid CPF (unformatted, 11 digits). */
export function cpf(n: number): string {
  const base = String(100_000_000 + n)
    .slice(-9)
    .split('')
    .map(Number);
  const first = checkDigit(base);
  const second = checkDigit([...base, first]);
  return `${base.join('')}${first}${second}`;
}

/** `764.254.640-89` style. */
export function formatCpf(value: string): string {
  return `${value.slice(0, 3)}.${value.slice(3, 6)}.${value.slice(6, 9)}-${value.slice(9)}`;
}
