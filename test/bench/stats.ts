// Repetitions, medians and spreads, goals, and the table `npm run bench` prints.

/** Median with the p10–p90 spread of one measure's repetitions. */
export interface Spread {
  median: number;
  p10: number;
  p90: number;
  runs: number;
}

export function spreadOf(values: number[]): Spread {
  if (values.length === 0) throw new Error('no repetitions to summarise');
  const sorted = [...values].sort((a, b) => a - b);
  const at = (fraction: number) => sorted[Math.min(sorted.length - 1, Math.round(fraction * (sorted.length - 1)))];
  return { median: at(0.5), p10: at(0.1), p90: at(0.9), runs: sorted.length };
}

/**
 * Runs `ours` and `baseline` in turns, swapping which goes first every repetition, so drift in the
 * machine's load (2 shared cores) hits both alike. Each returns one measured value.
 */
export async function alternate(repetitions: number, ours: () => Promise<number>, baseline: () => Promise<number>): Promise<{ ours: number[]; baseline: number[] }> {
  const result = { ours: [] as number[], baseline: [] as number[] };
  for (let repetition = 0; repetition < repetitions; repetition++) {
    if (repetition % 2 === 0) {
      result.ours.push(await ours());
      result.baseline.push(await baseline());
    } else {
      result.baseline.push(await baseline());
      result.ours.push(await ours());
    }
  }
  return result;
}

export async function repeat(repetitions: number, measure: () => Promise<number>): Promise<number[]> {
  const values: number[] = [];
  for (let repetition = 0; repetition < repetitions; repetition++) values.push(await measure());
  return values;
}

/** How a measure's goal is judged: ours/baseline, ours−baseline, or ours alone. */
export type Goal = { kind: 'ratio'; max: number } | { kind: 'difference'; max: number } | { kind: 'at most'; max: number };

export interface Row {
  measure: string;
  ours: string;
  baseline: string;
  ratio: string;
  goal: string;
  /** undefined: not measured on this machine (the reason is in `ours`). */
  met: boolean | undefined;
}

export interface Unit {
  /** Formats a value of this unit, e.g. `12.3 ms`. */
  format(value: number): string;
}

export const ms: Unit = { format: (value) => `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms` };
export const mib: Unit = { format: (value) => `${(value / 1024 / 1024).toFixed(1)} MiB` };
export const kb: Unit = { format: (value) => `${(value / 1000).toFixed(1)} KB` };

function formatSpread(spread: Spread, unit: Unit): string {
  return spread.runs === 1 ? unit.format(spread.median) : `${unit.format(spread.median)} (${unit.format(spread.p10)}–${unit.format(spread.p90)})`;
}

function goalText(goal: Goal, unit: Unit): string {
  if (goal.kind === 'ratio') return `≤ ${goal.max}×`;
  if (goal.kind === 'difference') return `≤ +${unit.format(goal.max)}`;
  return `≤ ${unit.format(goal.max)}`;
}

/** One table row from the repetitions of ours and of the baseline (medians compared). */
export function row(measure: string, unit: Unit, goal: Goal, ours: number[], baseline?: number[]): Row {
  const oursSpread = spreadOf(ours);
  const baselineSpread = baseline && spreadOf(baseline);
  const ratio = baselineSpread ? oursSpread.median / baselineSpread.median : undefined;
  const judged = goal.kind === 'ratio' ? ratio : goal.kind === 'difference' && baselineSpread ? oursSpread.median - baselineSpread.median : oursSpread.median;
  if (judged === undefined) throw new Error(`${measure}: a ${goal.kind} goal needs a baseline`);
  return {
    measure,
    ours: formatSpread(oursSpread, unit),
    baseline: baselineSpread ? formatSpread(baselineSpread, unit) : '—',
    ratio: ratio === undefined ? '—' : `${ratio.toFixed(2)}×${goal.kind === 'difference' ? ` (${judged >= 0 ? '+' : ''}${unit.format(judged)})` : ''}`,
    goal: goalText(goal, unit),
    met: judged <= goal.max,
  };
}

const notMeasured = 'not measured: ';

/** A measure that could not run here, and why (e.g. `go` is not installed). */
export function skipped(measure: string, reason: string, goal: string): Row {
  return { measure, ours: `${notMeasured}${reason}`, baseline: '—', ratio: '—', goal, met: undefined };
}

export function formatTable(rows: Row[]): string {
  const header: Row = { measure: 'measure', ours: 'ours', baseline: 'baseline', ratio: 'ratio', goal: 'goal', met: undefined };
  const cells = (r: Row) => [r.measure, r.ours, r.baseline, r.ratio, r.goal, r === header ? 'met' : r.met === undefined ? (r.ours.startsWith(notMeasured) ? 'skipped' : '—') : r.met ? 'yes' : 'NO'];
  const all = [header, ...rows].map(cells);
  const widths = all[0].map((_, column) => Math.max(...all.map((line) => line[column].length)));
  const line = (values: string[]) => values.map((value, column) => value.padEnd(widths[column])).join(' | ').trimEnd();
  const measured = rows.filter((r) => r.met !== undefined);
  return [line(all[0]), widths.map((width) => '-'.repeat(width)).join('-|-'), ...all.slice(1).map(line), '', `bench: ${measured.filter((r) => r.met).length} of ${measured.length} goals met`].join('\n');
}
