/**
 * Deterministic `wellhub` census files for the benchmark: realistic Brazilian values (accented
 * names, valid CPFs and CNPJs, CEPs, the odd quoted cell) so the reader's validation does its
 * real work. Person `i` always renders the same line, so the stored base and the upload can be
 * generated separately and still agree on everyone who did not change.
 */

export const HEADER = 'Company Tax ID,Name,Email,National ID,Employee ID,Department,Payroll ID,Cost center,Office zip code,Payroll Enabled';

const FIRST = [
  'Ana',
  'José',
  'Maria',
  'João',
  'Conceição',
  'Luís',
  'Fernanda',
  'Antônio',
  'Beatriz',
  'Sérgio',
  'Letícia',
  'Raúl',
  'Camila',
  'Otávio',
  'Íris',
  'Pedro',
];
const LAST = [
  'Souza',
  'Conceição',
  'Araújo',
  'Gonçalves',
  'Lima',
  'Müller',
  'Ribeiro',
  'Simões',
  'Assunção',
  'Pereira',
  'Brandão',
  'Oliveira',
  'Magalhães',
  'Dias',
];
const DEPARTMENTS = ['Vendas', 'Operações', 'Tecnologia', 'Financeiro', '"Recursos Humanos, RH"', 'Logística', 'Jurídico', 'Marketing'];
const ASCII = (text: string): string =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

function mod11(digits: readonly number[], weights: readonly number[]): number {
  const sum = digits.reduce((acc, d, i) => acc + d * weights[i]!, 0) % 11;
  return sum < 2 ? 0 : 11 - sum;
}

/** A valid CNPJ from a 12-digit root. */
export function cnpj(root: string): string {
  const digits = [...root].map(Number);
  const first = mod11(digits, [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]);
  const second = mod11([...digits, first], [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]);
  return `${root}${first}${second}`;
}

/** A valid, unique CPF for person `i` (a bijection of i onto 9 digits, then check digits). */
export function cpf(i: number): string {
  const root = String((i * 7919 + 123_456) % 1_000_000_000).padStart(9, '0');
  const digits = [...root].map(Number);
  const check = (n: number): number => {
    const sum = digits.slice(0, n).reduce((acc, d, k) => acc + d * (n + 1 - k), 0);
    const rest = (sum * 10) % 11;
    return rest === 10 ? 0 : rest;
  };
  digits.push(check(9));
  digits.push(check(10));
  return digits.join('');
}

export const COMPANIES = ['112223330001', '445556660001', '778889990001', '121314150001'].map(cnpj);

/** Small, fast, seedable PRNG (mulberry32), so every run generates the same bytes. */
function random(seed: number): number {
  let t = (seed + 0x6d2b79f5) | 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** One person's census line; `changed` alters the department, and one changed person in five the email. */
export function personLine(i: number, changed = false): string {
  const r = random(i);
  const company = COMPANIES[Math.floor(r * 1000) % COMPANIES.length]!;
  const first = FIRST[i % FIRST.length]!;
  const last = LAST[Math.floor(r * 7919) % LAST.length]!;
  const domain = changed && i % 5 === 0 ? 'novo.com.br' : 'empresa.com.br';
  const email = `${ASCII(first)}.${ASCII(last)}${i}@${domain}`;
  const id = cpf(i);
  const nationalId = r < 0.5 ? `${id.slice(0, 3)}.${id.slice(3, 6)}.${id.slice(6, 9)}-${id.slice(9)}` : id;
  const department = DEPARTMENTS[(Math.floor(r * 97) + (changed ? 1 : 0)) % DEPARTMENTS.length]!;
  const zip = String(1000000 + Math.floor(r * 98_000_000)).padStart(8, '0');
  const cep = r < 0.7 ? `${zip.slice(0, 5)}-${zip.slice(5)}` : zip;
  const payroll = r < 0.6 ? 'Yes' : r < 0.9 ? 'No' : '';
  return `${company},${first} ${last},${email},${nationalId},E${i},${department},P${100000 + i},CC${Math.floor(r * 40)},${cep},${payroll}`;
}

/** How a benchmark upload differs from the base: per 200 people, 2 changed, 1 gone, 1 new. */
export const isGone = (i: number): boolean => i % 200 === 7;
export const isChanged = (i: number): boolean => i % 100 === 3;

/** The lines of the stored base (the previous full file): people 0…size−1. */
export function* baseLines(size: number): Generator<string> {
  yield HEADER;
  for (let i = 0; i < size; i++) yield personLine(i);
}

/** The upload: the base with 1% changed, 0.5% gone and 0.5% newcomers, still `size` rows. */
export function* uploadLines(size: number): Generator<string> {
  yield HEADER;
  let newcomer = size;
  for (let i = 0; i < size; i++) {
    if (!isGone(i)) yield personLine(i, isChanged(i));
    if (i % 200 === 199) yield personLine(newcomer++);
  }
}

/** What the upload should do to the base. */
export function expectedChanges(size: number): { changed: number; added: number; gone: number } {
  let changed = 0;
  let gone = 0;
  for (let i = 0; i < size; i++) {
    if (isGone(i)) gone++;
    else if (isChanged(i)) changed++;
  }
  return { changed, added: Math.floor(size / 200), gone };
}

/** Joins lines into CRLF-terminated chunks of about `chunkBytes`. */
export function* toChunks(lines: Iterable<string>, chunkBytes = 64 * 1024): Generator<Buffer> {
  let pending: string[] = [];
  let length = 0;
  for (const line of lines) {
    pending.push(line);
    length += line.length + 2;
    if (length >= chunkBytes) {
      yield Buffer.from(`${pending.join('\r\n')}\r\n`);
      pending = [];
      length = 0;
    }
  }
  if (pending.length > 0) yield Buffer.from(`${pending.join('\r\n')}\r\n`);
}
