import { escapeHtml } from './html.js';

/** How a bar reads: rows that go in, rows left out, and what was only noted. */
export const BarKind = { In: 'in', Out: 'out', Note: 'note' } as const;
export type BarKind = (typeof BarKind)[keyof typeof BarKind];

export interface Bar {
  readonly label: string;
  readonly value: number;
  readonly kind: BarKind;
}

const COLOURS: { readonly [K in BarKind]: string } = {
  in: '#2e7d32',
  out: '#c62828',
  note: '#1565c0',
};

const WIDTH = 640;
const LABEL_WIDTH = 250;
const BAR_SPACE = 320;

const ROW = 26;

/**
 * A horizontal bar chart as inline SVG (no script, no style attribute, so it renders under a
 * strict Content-Security-Policy). Bars share one scale, the largest value; labels are escaped.
 */
export function barChart(
  bars: readonly Bar[],
  title: string,
  format: (n: number) => string,
): string {
  const largest = Math.max(1, ...bars.map((bar) => bar.value));
  const height = bars.length * ROW + 8;
  const rows = bars.map((bar, i) => {
    const y = 4 + i * ROW;
    const width = bar.value === 0 ? 0 : Math.max(2, Math.round((bar.value / largest) * BAR_SPACE));
    const label = escapeHtml(bar.label.length > 32 ? `${bar.label.slice(0, 31)}…` : bar.label);
    return (
      `<text x="${LABEL_WIDTH - 8}" y="${y + 17}" text-anchor="end">${label}</text>` +
      `<rect x="${LABEL_WIDTH}" y="${y + 4}" width="${width}" height="18" rx="2" fill="${COLOURS[bar.kind]}"/>` +
      `<text x="${LABEL_WIDTH + width + 6}" y="${y + 17}">${escapeHtml(format(bar.value))}</text>`
    );
  });
  return (
    `<svg class="chart" role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${WIDTH} ${height}" ` +
    `width="${WIDTH}" height="${height}" font-family="system-ui, sans-serif" font-size="13" fill="#222">` +
    `<title>${escapeHtml(title)}</title>${rows.join('')}</svg>`
  );
}
