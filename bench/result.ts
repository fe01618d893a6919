/** One benchmark's outcome: the figure, a baseline measured in the same run, and the target. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  baseline: number;
  baseline_name: string;
  ratio: number;
  target: string;
  met: boolean;
  size: Record<string, number | string>;
}

/** Rounds to three significant figures: more digits than that are noise on a shared machine. */
export function round3(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(x))));
  return Number(x.toFixed(Math.min(digits, 6)));
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export type Log = (line: string) => void;
