/**
 * Tax identifiers: normalisation for comparison and Brazilian check digits (CNPJ for companies,
 * CPF for people). SPEC §2: strip everything but digits and letters, upper-case, and for BR
 * left-pad to 14 characters because spreadsheets drop the leading zero of a CNPJ.
 */

/** Strips punctuation and upper-cases; for BR, restores leading zeros a spreadsheet dropped. */
export function normalizeTaxId(raw: string, country?: string): string {
  const cleaned = raw.replace(/[^0-9A-Za-z]/g, '').toUpperCase();
  if (country === 'BR' && cleaned.length > 0 && cleaned.length < 14) return cleaned.padStart(14, '0');
  return cleaned;
}

// Since July 2026 Brazil issues alphanumeric CNPJs: each of the first 12 characters is worth its
// ASCII code minus 48 (so digits keep their value and 'A' is 17); check digits stay numeric.
function cnpjCharValue(char: string): number {
  return char.charCodeAt(0) - 48;
}

function mod11CheckDigit(values: number[], weights: number[]): number {
  const sum = values.reduce((acc, value, i) => acc + value * (weights[i] ?? 0), 0);
  const rest = sum % 11;
  return rest < 2 ? 0 : 11 - rest;
}

const CNPJ_WEIGHTS_1 = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];
const CNPJ_WEIGHTS_2 = [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];

/** True for a CNPJ with valid check digits, numeric or alphanumeric, punctuated or not. */
export function isValidCnpj(raw: string): boolean {
  const cnpj = normalizeTaxId(raw, 'BR');
  if (!/^[0-9A-Z]{12}[0-9]{2}$/.test(cnpj)) return false;
  if (/^(\d)\1{13}$/.test(cnpj)) return false;
  const values = [...cnpj.slice(0, 12)].map(cnpjCharValue);
  const first = mod11CheckDigit(values, CNPJ_WEIGHTS_1);
  const second = mod11CheckDigit([...values, first], CNPJ_WEIGHTS_2);
  return cnpj.endsWith(`${first}${second}`);
}

/** True for a CPF with valid check digits, punctuated or not (letters make it invalid). */
export function isValidCpf(raw: string): boolean {
  const cpf = raw.replace(/[^\p{L}\p{N}]/gu, '');
  if (!/^\d{11}$/.test(cpf) || /^(\d)\1{10}$/.test(cpf)) return false;
  const digits = [...cpf].map(Number);
  const check = (length: number): number => {
    const sum = digits.slice(0, length).reduce((acc, d, i) => acc + d * (length + 1 - i), 0);
    const rest = (sum * 10) % 11;
    return rest === 10 ? 0 : rest;
  };
  return check(9) === digits[9] && check(10) === digits[10];
}

/** Formats a normalised CNPJ as `12.345.678/0001-95` for messages shown to people. */
export function formatCnpj(normalized: string): string {
  if (normalized.length !== 14) return normalized;
  return `${normalized.slice(0, 2)}.${normalized.slice(2, 5)}.${normalized.slice(5, 8)}/${normalized.slice(8, 12)}-${normalized.slice(12)}`;
}
