import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { renderChart, SERIES } from '../../lambdas/core/workforce/chart.ts';
import type { MonthFigures } from '../../lambdas/core/workforce/metrics.ts';

/** The SVG chart of SPEC §19: a well-formed standalone document with a title, two axes and a legend. */

const months: MonthFigures[] = Array.from({ length: 12 }, (_, i) => ({
  month: `2025-${String(i + 1).padStart(2, '0')}`,
  headcountStart: 100 + i,
  hires: 7 + i,
  leavers: 3,
  headcountEnd: 101 + i,
  averageHalves: 201 + 2 * i,
  turnoverTenths: 30,
  retentionTenths: null,
}));

/** Every text node under an element whose class names `role`. */
function textsOf(node: unknown, role: string, inside = false): string[] {
  if (Array.isArray(node)) return node.flatMap((n) => textsOf(n, role, inside));
  if (!node || typeof node !== 'object') return inside && (typeof node === 'string' || typeof node === 'number') ? [String(node)] : [];
  const record = node as Record<string, unknown>;
  const here =
    inside ||
    String(record['@_class'] ?? '')
      .split(/\s+/)
      .includes(role);
  return Object.entries(record).flatMap(([k, v]) => (k.startsWith('@_') ? [] : textsOf(v, role, here)));
}

describe('workforce chart', () => {
  it('is well-formed XML with a title, axes and a legend', async () => {
    const svg = await renderChart('Acme & Filhos <Brasil>', months);
    expect(XMLValidator.validate(svg)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false }).parse(svg) as { svg: Record<string, unknown> };
    expect(doc.svg.title).toBe('Acme & Filhos <Brasil>: workforce');
    expect(textsOf(doc, 'role-title').join(' ')).toContain('Acme & Filhos <Brasil>: workforce, 2025-01 to 2025-12');
    const axes = textsOf(doc, 'role-axis');
    expect(axes).toEqual(expect.arrayContaining(['Month', 'People', '2025-01', '2025-12']));
    expect(textsOf(doc, 'role-legend')).toEqual(expect.arrayContaining([SERIES.headcount, SERIES.hires, SERIES.leavers]));
  });

  it('draws a company with no activity without failing', async () => {
    const empty = months.map((m) => ({
      ...m,
      headcountStart: 0,
      hires: 0,
      leavers: 0,
      headcountEnd: 0,
      averageHalves: 0,
      turnoverTenths: null,
    }));
    const svg = await renderChart('Empty', empty);
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).toContain('Empty: workforce');
  });
});
