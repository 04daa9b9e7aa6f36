/**
 * Money as integer cents, formatted per currency (SPEC §8): BRL `R$ 1.234,56`, USD `$1,234.56`,
 * EUR `€1.234,56`, any other `CODE 1234.56`.
 */

function grouped(cents: number, thousands: string, decimal: string): string {
  const abs = Math.abs(cents);
  const whole = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, thousands);
  return `${cents < 0 ? '-' : ''}${whole}${decimal}${String(abs % 100).padStart(2, '0')}`;
}

export function formatMoney(cents: number, currency: string): string {
  switch (currency) {
    case 'BRL':
      return `R$ ${grouped(cents, '.', ',')}`;
    case 'USD':
      return `$${grouped(cents, ',', '.')}`;
    case 'EUR':
      return `€${grouped(cents, '.', ',')}`;
    default:
      return `${currency} ${grouped(cents, '', '.')}`;
  }
}

/** Cents as a plain decimal (`449.90`), the reports' Price column. */
export function plainAmount(cents: number): string {
  return grouped(cents, '', '.');
}
