/**
 * The shape every scenario reports in, so suites written later (server,
 * Redis, the studio in a browser) print beside the engine's: rows of one
 * markdown table per suite, notes under it, and targets checked against the
 * measured figures.
 */

/** One markdown table: a column list and rows keyed by column (a missing cell prints as `—`). */
export interface Table {
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly Readonly<Record<string, string>>[];
  readonly notes: readonly string[];
}

/** A goal and whether the measured figures meet it. */
export interface Target {
  readonly goal: string;
  /** The figures the verdict rests on, e.g. `1.21× (fusync 14.2 ms, minimal 11.7 ms)`. */
  readonly measured: string;
  /** `undefined` when the figures are missing (a runner skipped or failed). */
  readonly pass: boolean | undefined;
}

/** What one scenario contributes to its suite's table. */
export interface ScenarioReport {
  readonly rows: readonly Record<string, string>[];
  readonly notes: readonly string[];
  readonly targets: readonly Target[];
}

const escapeCell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** Renders a table as GitHub markdown, padded so that it reads as a table in a terminal too; figure columns right-aligned. */
export function renderTable(table: Table): string {
  const cell = (row: Readonly<Record<string, string>>, column: string): string =>
    escapeCell(row[column] ?? '—');
  // Right-align a column when most of its filled cells are figures (a `skipped (…)` cell may sit among them).
  const numeric = table.columns.map((column) => {
    const filled = table.rows
      .map((row) => row[column])
      .filter((value): value is string => value !== undefined && value !== '—');
    const figures = filled.filter((value) => /^[\d,.]+×?$/.test(value)).length;
    return figures > 0 && figures * 2 >= filled.length;
  });
  const length = (text: string): number => [...text].length;
  const widths = table.columns.map((column) =>
    Math.max(3, length(column), ...table.rows.map((row) => length(cell(row, column)))),
  );
  const pad = (text: string, at: number): string => {
    const fill = ' '.repeat((widths[at] as number) - length(text));
    return numeric[at] ? fill + text : text + fill;
  };
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((text, at) => pad(text, at)).join(' | ')} |`;
  const rule = widths.map((width, at) =>
    numeric[at] ? `${'-'.repeat(width - 1)}:` : '-'.repeat(width),
  );
  const lines = [
    `### ${table.title}`,
    '',
    line(table.columns),
    `| ${rule.join(' | ')} |`,
    ...table.rows.map((row) => line(table.columns.map((column) => cell(row, column)))),
  ];
  if (table.notes.length > 0) lines.push('', ...table.notes.map((note) => `- ${note}`));
  return lines.join('\n');
}

/** Renders targets as a list with PASS / MISS (or `n/a` when the figures are missing). */
export function renderTargets(targets: readonly Target[]): string {
  const verdict = (pass: boolean | undefined): string =>
    pass === undefined ? 'n/a' : pass ? 'PASS' : 'MISS';
  return [
    '### Targets',
    '',
    ...targets.map((t) => `- **${verdict(t.pass)}** ${t.goal}: ${t.measured}`),
  ].join('\n');
}

/** Milliseconds with a precision that suits their size. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (ms >= 1000) return Math.round(ms).toLocaleString('en-US');
  if (ms >= 100) return ms.toFixed(0);
  if (ms >= 10) return ms.toFixed(1);
  return ms.toFixed(2);
}

export function formatRatio(ratio: number): string {
  return Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : '—';
}

export function formatMb(mb: number): string {
  return Number.isFinite(mb) ? mb.toFixed(1) : '—';
}
