/**
 * Sums EMF documents (CloudWatch embedded metric format) into counters per metric and dimension
 * values — what `benefits-exchange metrics` prints in local mode, where no CloudWatch turns the
 * lines into metrics. Pure: lines in, totals out; lines that are not EMF are skipped.
 */

export interface MetricTotal {
  readonly metric: string;
  readonly unit: string;
  /** Dimension name → value, e.g. `{ flow: 'employees/all', status: 'Succeeded' }` (service left out). */
  readonly dimensions: Readonly<Record<string, string>>;
  readonly count: number;
  readonly sum: number;
  readonly max: number;
}

interface EmfDocument {
  _aws?: { CloudWatchMetrics?: { Namespace?: string; Dimensions?: string[][]; Metrics?: { Name: string; Unit?: string }[] }[] };
  [key: string]: unknown;
}

export function summarizeEmf(lines: Iterable<string>, namespace: string): MetricTotal[] {
  const totals = new Map<
    string,
    { metric: string; unit: string; dimensions: Record<string, string>; count: number; sum: number; max: number }
  >();
  for (const line of lines) {
    let doc: EmfDocument;
    try {
      doc = JSON.parse(line) as EmfDocument;
    } catch {
      continue;
    }
    for (const directive of doc._aws?.CloudWatchMetrics ?? []) {
      if (directive.Namespace !== namespace) continue;
      const names = (directive.Dimensions?.[0] ?? []).filter((d) => d !== 'service');
      const dimensions = Object.fromEntries(names.map((d) => [d, String(doc[d] ?? '')]));
      for (const { Name, Unit } of directive.Metrics ?? []) {
        const raw = doc[Name];
        const values = (Array.isArray(raw) ? raw : [raw]).map(Number).filter(Number.isFinite);
        const key = JSON.stringify([Name, dimensions]);
        const total = totals.get(key) ?? { metric: Name, unit: Unit ?? 'None', dimensions, count: 0, sum: 0, max: 0 };
        for (const v of values) {
          total.count++;
          total.sum += v;
          total.max = Math.max(total.max, v);
        }
        totals.set(key, total);
      }
    }
  }
  return [...totals.values()].sort(
    (a, b) => a.metric.localeCompare(b.metric) || JSON.stringify(a.dimensions).localeCompare(JSON.stringify(b.dimensions)),
  );
}

/** The totals as an aligned table: counts summed, seconds as average and maximum. */
export function metricsTable(totals: readonly MetricTotal[]): string {
  const rows = totals.map((t) => [
    t.metric,
    t.dimensions.flow ?? '',
    t.dimensions.status ?? '',
    t.unit === 'Seconds' ? `avg ${(t.sum / Math.max(t.count, 1)).toFixed(1)} s, max ${t.max.toFixed(1)} s (${t.count})` : String(t.sum),
  ]);
  const header = ['METRIC', 'FLOW', 'STATUS', 'VALUE'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  return [header, ...rows].map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ')).join('\n') + '\n';
}
