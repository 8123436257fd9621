import { createHash } from 'node:crypto';
import { escapeHtml, section, table, withCode } from './html.js';
import { nextSteps, type ReportLanguage, ROW_CODE_ADVICE } from './next-steps.js';
import { type Bar, BarKind, barChart } from './report-chart.js';
import type { ReportManifest } from './report-manifest.js';
import { REPORT_CSS } from './report-style.js';
import { REPORT_TEXT, type ReportText } from './report-text.js';

export { ReportLanguage } from './next-steps.js';
export type { ReportManifest } from './report-manifest.js';

export interface ReportOptions {
  readonly language: ReportLanguage;
  /**
   * A file that was checked and not loaded (`validate`): the banner says so and chunks show what
   * would be sent, without outcomes.
   */
  readonly checkOnly?: boolean;
  /**
   * Where the link to the refused rows points, relative to the page; default `rejected.csv` (it
   * sits beside the manifest) when the manifest names one; null for no link.
   */
  readonly rejectedHref?: string | null;
}

/** The statuses with a banner colour of their own; anything else is shown neutral. */
const STATUSES = new Set(['succeeded', 'partial', 'failed', 'rejected', 'skipped']);
/** Count fields in the order the page lists them; fields it does not know follow. */
const COUNT_ORDER = [
  'rows',
  'accepted',
  'rejected',
  'duplicates',
  'modified',
  'uploaded',
  'suppressed',
  'recentlyLoaded',
  'lines',
  'header',
  'blank',
  'joined',
];

const STYLE_HASH = createHash('sha256').update(REPORT_CSS).digest('base64');
/** The page allows itself its one stylesheet and nothing else: no script, image or request. */
export const REPORT_CSP = `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; base-uri 'none'; form-action 'none'`;

interface Page {
  readonly manifest: ReportManifest;
  readonly text: ReportText;
  readonly options: ReportOptions;
  readonly number: (n: number) => string;
}

/**
 * The report page of one manifest: a self-contained HTML document (inline CSS, inline SVG, no
 * script or outside resource) in which every value taken from the manifest is escaped. Pure:
 * the same manifest and options give the same bytes. Never throws on a manifest of another
 * version; a field it lacks is left out.
 */
export function renderReport(manifest: ReportManifest, options: ReportOptions): string {
  const text = REPORT_TEXT[options.language];
  const numberFormat = new Intl.NumberFormat(text.locale);
  const page: Page = { manifest, text, options, number: (n) => numberFormat.format(n) };
  const body = [
    banner(page),
    section(text.nextSteps, stepsList(page), 'next'),
    errorSection(page),
    warningsSection(page),
    section(text.details, detailsList(page)),
    section(text.counts, countsBlock(page)),
    chunksSection(page),
    rejectionsSection(page),
    columnsSection(page),
  ].join('');
  const title = `${text.title}: ${fileName(manifest.source.key)}`;
  const footer = options.checkOnly ? text.checkFooter : text.footer(manifest.schemaVersion);
  return (
    `<!doctype html><html lang="${options.language}"><head><meta charset="utf-8">` +
    `<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">` +
    '<meta name="referrer" content="no-referrer">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${escapeHtml(title)}</title><style>${REPORT_CSS}</style></head>` +
    `<body><main>${body}<footer>${escapeHtml(footer)}</footer>` +
    '</main></body></html>\n'
  );
}

function banner({ manifest, text, options, number }: Page): string {
  const known = STATUSES.has(manifest.status) ? manifest.status : 'other';
  const checked = options.checkOnly === true && manifest.status !== 'rejected';
  const label = checked ? text.checked : (text.status[manifest.status] ?? manifest.status);
  const { accepted, rows, uploaded } = manifest.counts;
  const summary = checked
    ? `${number(accepted)} / ${number(rows)} ${text.count.accepted!.toLowerCase()}. ${text.checkedNote}`
    : `${number(accepted)} / ${number(rows)} ${text.count.accepted!.toLowerCase()}, ` +
      `${number(uploaded)} ${text.count.uploaded!.toLowerCase()}`;
  return (
    `<header class="banner s-${checked ? 'checked' : known}" data-status="${escapeHtml(manifest.status)}">` +
    `<p class="status">${escapeHtml(label)}</p><h1>${escapeHtml(fileName(manifest.source.key))}</h1>` +
    `<p>${escapeHtml(manifest.campaign ?? text.noCampaign)} · ${escapeHtml(summary)}</p></header>`
  );
}

function stepsList({ manifest, options }: Page): string {
  const steps = nextSteps(manifest, options.language, options.checkOnly === true);
  return `<ul>${steps.map((step) => `<li>${withCode(capitalized(step))}</li>`).join('')}</ul>`;
}

function errorSection({ manifest, text }: Page): string {
  const parts: string[] = [];
  if (manifest.error) parts.push(codeMessage(manifest.error));
  const session = manifest.session;
  if (session) {
    const state = text.endSession[session.endSession] ?? session.endSession;
    parts.push(
      `<p>${escapeHtml(text.session)}: ${escapeHtml(state)}</p>` +
        (session.error ? codeMessage(session.error) : ''),
    );
  }
  return parts.length === 0 ? '' : section(text.error, parts.join(''), 'error');
}

/** What the run could not do as asked, though it went on (a list to apply that holds nothing). */
function warningsSection({ manifest, text }: Page): string {
  const warnings = manifest.warnings ?? [];
  if (warnings.length === 0) return '';
  return section(text.warnings, warnings.map(codeMessage).join(''), 'warning');
}

function codeMessage(error: { readonly code: string; readonly message: string }): string {
  return `<p><code>${escapeHtml(error.code)}</code> ${escapeHtml(error.message)}</p>`;
}

function detailsList(page: Page): string {
  const { manifest, text } = page;
  const rows: [string, string][] = [[text.file, manifest.source.key]];
  if (manifest.source.bucket) rows.push([text.bucket, manifest.source.bucket]);
  if (manifest.source.size !== null) rows.push([text.size, bytes(manifest.source.size, page)]);
  rows.push([text.campaign, manifest.campaign ?? text.noCampaign]);
  if (manifest.profile) rows.push([text.profile, profileText(manifest.profile, text)]);
  if (manifest.suppression != null) rows.push([text.suppression, describe(manifest.suppression)]);
  if (manifest.reloadWindow != null)
    rows.push([text.reloadWindow, describe(manifest.reloadWindow)]);
  if (manifest.input) rows.push([text.read, inputText(manifest.input, text)]);
  rows.push([text.started, when(manifest.startedAt)], [text.finished, when(manifest.finishedAt)]);
  const ms = Date.parse(manifest.finishedAt) - Date.parse(manifest.startedAt);
  if (Number.isFinite(ms) && ms >= 0) rows.push([text.duration, duration(ms, page)]);
  const items = rows.map(
    ([dt, dd]) => `<div><dt>${escapeHtml(dt)}</dt><dd>${escapeHtml(dd)}</dd></div>`,
  );
  return `<dl class="details">${items.join('')}</dl>`;
}

function profileText(profile: NonNullable<ReportManifest['profile']>, text: ReportText): string {
  const more = [
    `${text.profileSource} ${profile.source}`,
    `${text.profileVersion} ${profile.version}`,
  ];
  return `${profile.name ?? '—'} (${more.join(', ')})`;
}

function inputText(input: NonNullable<ReportManifest['input']>, text: ReportText): string {
  if (input.container)
    return `${input.format}, ${input.container}, ${text.sheet} "${input.sheet ?? ''}"`;
  const delimiter = input.delimiter === '\t' ? 'tab' : `"${input.delimiter}"`;
  return `${input.format}, ${input.encoding}, ${text.delimiter} ${delimiter}`;
}

/** A value of a field the page does not know the shape of, as one short line. */
function describe(value: unknown, depth = 0): string {
  if (value === null || typeof value !== 'object') return String(value);
  if (depth >= 2) return '…';
  const line = Array.isArray(value)
    ? value.map((item) => describe(item, depth + 1)).join(', ')
    : Object.entries(value)
        .map(([key, item]) => `${key}: ${describe(item, depth + 1)}`)
        .join('; ');
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}

/**
 * Counts a check (`validate --html`) cannot know: nothing was uploaded, and what the campaign
 * received lately is in the bucket, not on this machine.
 */
const CHECK_HIDES: ReadonlySet<string> = new Set(['uploaded', 'recentlyLoaded']);

function countsBlock(page: Page): string {
  const { manifest, text, options, number } = page;
  const counts = manifest.counts as unknown as Readonly<Record<string, unknown>>;
  const keys = [
    ...COUNT_ORDER.filter((key) => key in counts),
    ...Object.keys(counts).filter((key) => !COUNT_ORDER.includes(key)),
  ].filter(
    (key) => typeof counts[key] === 'number' && !(options.checkOnly && CHECK_HIDES.has(key)),
  );
  const items = keys.map(
    (key) =>
      `<div><dt>${escapeHtml(text.count[key] ?? key)}</dt>` +
      `<dd data-count="${escapeHtml(key)}">${number(counts[key] as number)}</dd></div>`,
  );
  return (
    barChart(chartBars(page), text.chartLabel, number) +
    `<dl class="counts">${items.join('')}</dl>` +
    refusalCodes(page)
  );
}

function chartBars({ manifest, text }: Page): Bar[] {
  const { counts } = manifest;
  const bars: Bar[] = [{ label: text.count.accepted!, value: counts.accepted, kind: BarKind.In }];
  const codes = Object.entries(manifest.rejectionCodes ?? {}).filter(([, n]) => (n ?? 0) > 0);
  if (manifest.rejectionCodes) {
    for (const [code, value] of codes.sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0)))
      bars.push({
        label: code === 'DUPLICATE' ? text.count.duplicates! : code,
        value: value ?? 0,
        kind: BarKind.Out,
      });
  } else {
    bars.push({ label: text.count.rejected!, value: counts.rejected, kind: BarKind.Out });
    bars.push({ label: text.count.duplicates!, value: counts.duplicates, kind: BarKind.Out });
  }
  for (const key of ['suppressed', 'recentlyLoaded'] as const) {
    const value = counts[key];
    if (value !== undefined) bars.push({ label: text.count[key]!, value, kind: BarKind.Out });
  }
  bars.push({ label: text.count.modified!, value: counts.modified, kind: BarKind.Note });
  return bars;
}

/** Each refusal code with its count and what to do about it. */
function refusalCodes({ manifest, text, options, number }: Page): string {
  const codes = Object.entries(manifest.rejectionCodes ?? {}).filter(([, n]) => (n ?? 0) > 0);
  if (codes.length === 0) return '';
  const rows = codes
    .sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0))
    .map(([code, count]) => [
      `<code>${escapeHtml(code)}</code>`,
      `<span data-code-count="${escapeHtml(code)}">${number(count ?? 0)}</span>`,
      withCode(capitalized(ROW_CODE_ADVICE[code]?.[options.language] ?? '')),
    ]);
  const [, codeHeading] = text.rejectionColumns;
  return table([codeHeading, text.count.rejected!, text.nextSteps], rows);
}

function chunksSection(page: Page): string {
  const { manifest, text, options, number } = page;
  if (manifest.uploads.length === 0) {
    return manifest.counts.accepted === 0
      ? ''
      : section(text.chunks, `<p>${escapeHtml(text.noChunks)}</p>`);
  }
  const rows = manifest.uploads.map((u) => {
    const name = escapeHtml(u.filename);
    if (options.checkOnly)
      return [String(u.part), name, number(u.records), escapeHtml(bytes(u.bytes, page))];
    const outcome = `<span class="o-${escapeHtml(u.outcome)}">${escapeHtml(text.outcome[u.outcome] ?? u.outcome)}</span>`;
    return [
      String(u.part),
      name,
      outcome,
      number(u.records),
      escapeHtml(bytes(u.bytes, page)),
      number(u.attempts),
      escapeHtml(duration(u.durationMs, page)),
    ];
  });
  const headers = options.checkOnly ? text.checkChunkColumns : text.chunkColumns;
  const heading = options.checkOnly ? text.checkChunks : text.chunks;
  return section(heading, table(headers, rows), 'chunks');
}

function rejectionsSection(page: Page): string {
  const { manifest, text, options, number } = page;
  const shown = manifest.rejections;
  const href =
    options.rejectedHref === undefined
      ? manifest.rejectedFile
        ? 'rejected.csv'
        : null
      : options.rejectedHref;
  if (shown.length === 0 && href === null) return '';
  const rows = shown.map((r) => [
    number(r.line),
    `<code>${escapeHtml(r.code)}</code>`,
    escapeHtml(r.message),
  ]);
  const total = manifest.counts.rejected;
  const more =
    total > shown.length
      ? `<p>${escapeHtml(text.firstOf(number(shown.length), number(total)))}</p>`
      : '';
  const link =
    href === null
      ? ''
      : `<p><a href="${escapeHtml(href)}">${escapeHtml(`${text.rejectedLink}: ${linkName(href)}`)}</a></p>`;
  return section(
    text.rejections,
    (rows.length > 0 ? table(text.rejectionColumns, rows) : '') + more + link,
  );
}

function columnsSection({ manifest, text }: Page): string {
  if (!manifest.columns || manifest.columns.length === 0) return '';
  const rows = manifest.columns.map((c) => [
    c.header === '' ? escapeHtml(text.emptyHeader) : escapeHtml(c.header),
    `<code>${escapeHtml(c.role)}</code>`,
  ]);
  return section(text.columnsRead, table(text.columnColumns, rows));
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The file a relative link names, as people read it. */
function linkName(href: string): string {
  const name = fileName(href);
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

/** The last segment of a key or path: what the partner named the file. */
function fileName(key: string): string {
  return key.split('/').pop() || key;
}

/** An ISO time as `2025-03-14 13:05:10 UTC`; anything else as it is. */
function when(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(\.\d+)?Z$/.exec(iso);
  return match ? `${match[1]} ${match[2]} UTC` : iso;
}

function duration(ms: number, { number }: Page): string {
  if (ms < 1000) return `${number(ms)} ms`;
  const seconds = Math.round(ms / 100) / 10;
  if (seconds < 60) return `${number(seconds)} s`;
  return `${number(Math.floor(seconds / 60))} min ${number(Math.round(seconds % 60))} s`;
}

function bytes(n: number, { number }: Page): string {
  if (n < 1024) return `${number(n)} B`;
  if (n < 1024 * 1024) return `${number(Math.round(n / 102.4) / 10)} KiB`;
  return `${number(Math.round(n / (1024 * 102.4)) / 10)} MiB`;
}
