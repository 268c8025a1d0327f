import type { RunnerFigures } from './compare.js';
import type { Target } from './table.js';
import { formatMb, formatMs, formatRatio } from './table.js';

type Figures = ReadonlyMap<string, RunnerFigures>;

const usable = (f: RunnerFigures | undefined): f is RunnerFigures =>
  f !== undefined && f.runs > 0 && Number.isFinite(f.medianMs);

function missing(name: string, f: RunnerFigures | undefined): string {
  return `no figures for ${name}${f?.skip ? ` (${f.skip})` : ''}`;
}

/** `subject`'s median is at most `limit` times the baseline's. */
export function withinRatioOf(
  figures: Figures,
  scenario: string,
  subject: string,
  reference: string,
  limit: number,
): Target {
  const a = figures.get(subject);
  const b = figures.get(reference);
  const goal = `${scenario}: ${subject} ≤ ${limit}× ${reference}`;
  if (!usable(a) || !usable(b))
    return {
      goal,
      measured: missing(usable(a) ? reference : subject, usable(a) ? b : a),
      pass: undefined,
    };
  const ratio = a.medianMs / b.medianMs;
  return {
    goal,
    measured: `${formatRatio(ratio)} (${formatMs(a.medianMs)} ms vs ${formatMs(b.medianMs)} ms)`,
    pass: ratio <= limit,
  };
}

/** `subject`'s median is lower than `other`'s. */
export function fasterThan(
  figures: Figures,
  scenario: string,
  subject: string,
  other: string,
): Target {
  const a = figures.get(subject);
  const b = figures.get(other);
  const goal = `${scenario}: ${subject} faster than ${other}`;
  if (!usable(a) || !usable(b))
    return {
      goal,
      measured: missing(usable(a) ? other : subject, usable(a) ? b : a),
      pass: undefined,
    };
  return {
    goal,
    measured: `${formatMs(a.medianMs)} ms vs ${formatMs(b.medianMs)} ms (${formatRatio(a.medianMs / b.medianMs)})`,
    pass: a.medianMs < b.medianMs,
  };
}

/** `subject`'s median is at most `limit` times a fixed bound. */
export function withinBound(
  figures: Figures,
  scenario: string,
  subject: string,
  bound: number,
  limit: number,
): Target {
  const a = figures.get(subject);
  const goal = `${scenario}: ${subject} makespan ≤ ${limit}× the lower bound`;
  if (!usable(a)) return { goal, measured: missing(subject, a), pass: undefined };
  const ratio = a.medianMs / bound;
  return {
    goal,
    measured: `${formatRatio(ratio)} (${formatMs(a.medianMs)} ms vs bound ${formatMs(bound)} ms)`,
    pass: ratio <= limit,
  };
}

/** `subject`'s median peak heap is under `limitMb`. */
export function heapUnder(
  figures: Figures,
  scenario: string,
  subject: string,
  limitMb: number,
): Target {
  const a = figures.get(subject);
  const goal = `${scenario}: ${subject} peak heap < ${limitMb} MB`;
  if (!usable(a)) return { goal, measured: missing(subject, a), pass: undefined };
  return { goal, measured: `${formatMb(a.heapMb)} MB`, pass: a.heapMb < limitMb };
}

/**
 * A note giving `subject`'s median as a ratio of `reference`'s (no target):
 * e.g. how far fusync is from the floor behind a by-name API.
 */
export function ratioNote(
  figures: Figures,
  scenario: string,
  subject: string,
  reference: string,
): string[] {
  const a = figures.get(subject);
  const b = figures.get(reference);
  if (!usable(a) || !usable(b)) return [];
  return [
    `${scenario}: ${subject} ${formatMs(a.medianMs)} ms is ${formatRatio(a.medianMs / b.medianMs)} \`${reference}\` (${formatMs(b.medianMs)} ms), which is ${formatRatio(b.ratioVsMinimal)} the minimal scheduler: the floor behind an API that takes layers by name, before any feature.`,
  ];
}
