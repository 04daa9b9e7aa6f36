import { parse as parseVega, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { MonthFigures } from './metrics.ts';

/**
 * The workforce chart (SPEC §19): headcount at each month's end as a line, hires and leavers in
 * the month as bars, one shared axis of people, with a title, axes and a legend. Vega-Lite
 * compiles the spec and Vega's own SVG renderer draws it headless — no browser, no canvas
 * package (ADR 0600). The result is a standalone SVG any browser opens.
 */

export const SERIES = { headcount: 'Headcount (end of month)', hires: 'Hires', leavers: 'Leavers' } as const;
const COLORS = { headcount: '#1f4e79', hires: '#2e9e5b', leavers: '#d1495b' } as const;

export function chartSpec(company: string, months: readonly MonthFigures[]): TopLevelSpec {
  const values = months.map((m) => ({
    month: m.month,
    [SERIES.hires]: m.hires,
    [SERIES.leavers]: m.leavers,
    [SERIES.headcount]: m.headcountEnd,
  }));
  const span = months.length > 0 ? `${months[0]!.month} to ${months.at(-1)!.month}` : '';
  const x = { field: 'month', type: 'ordinal', title: 'Month', axis: { labelAngle: -40, labelPadding: 4 } } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `${company}: workforce, ${span}`,
      subtitle: 'Headcount at the end of each month (line); hires and leavers during the month (bars)',
      anchor: 'start',
      fontSize: 16,
      subtitleFontSize: 12,
      subtitleColor: '#555',
      offset: 12,
    },
    width: 720,
    height: 300,
    background: 'white',
    padding: 16,
    config: {
      font: 'Helvetica, Arial, sans-serif',
      axis: { labelFontSize: 11, titleFontSize: 12, gridColor: '#e6e6e6' },
      legend: { labelFontSize: 12, titleFontSize: 12 },
    },
    data: { values },
    encoding: { x },
    layer: [
      {
        transform: [{ fold: [SERIES.hires, SERIES.leavers], as: ['series', 'people'] }],
        mark: { type: 'bar', cornerRadiusEnd: 1 },
        encoding: {
          xOffset: { field: 'series', type: 'nominal', sort: [SERIES.hires, SERIES.leavers], scale: { paddingOuter: 0.6 } },
          y: { field: 'people', type: 'quantitative', title: 'People' },
          color: {
            field: 'series',
            type: 'nominal',
            title: null,
            scale: { domain: [SERIES.headcount, SERIES.hires, SERIES.leavers], range: [COLORS.headcount, COLORS.hires, COLORS.leavers] },
            legend: { orient: 'top', direction: 'horizontal', symbolType: 'square', labelLimit: 400, columnPadding: 24 },
          },
        },
      },
      {
        mark: { type: 'line', point: { filled: true, size: 40 }, strokeWidth: 2.5 },
        encoding: {
          y: { field: SERIES.headcount, type: 'quantitative', title: 'People' },
          color: { datum: SERIES.headcount, type: 'nominal' },
        },
      },
      {
        transform: [{ fold: [SERIES.hires, SERIES.leavers], as: ['series', 'people'] }],
        mark: { type: 'text', dy: -6, fontSize: 9, color: '#333' },
        encoding: {
          xOffset: { field: 'series', type: 'nominal', sort: [SERIES.hires, SERIES.leavers], scale: { paddingOuter: 0.6 } },
          y: { field: 'people', type: 'quantitative' },
          text: { field: 'people', type: 'quantitative' },
        },
      },
      {
        mark: { type: 'text', dy: -10, fontSize: 10, color: COLORS.headcount },
        encoding: { y: { field: SERIES.headcount, type: 'quantitative' }, text: { field: SERIES.headcount, type: 'quantitative' } },
      },
    ],
  };
}

/** The chart as a standalone SVG document, with an SVG `<title>` naming it for screen readers and browser tabs. */
export async function renderChart(company: string, months: readonly MonthFigures[]): Promise<string> {
  const spec = chartSpec(company, months);
  const view = new View(parseVega(compile(spec).spec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    const title = `<title>${escapeXml(`${company}: workforce`)}</title>`;
    return `<?xml version="1.0" encoding="UTF-8"?>\n${svg.replace(/^(<svg[^>]*>)/, `$1${title}`)}\n`;
  } finally {
    view.finalize();
  }
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string);
}
