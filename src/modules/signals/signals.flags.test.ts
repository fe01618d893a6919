import { describe, expect, it } from 'vitest';
import { baselineOf, EWMA, ewmaChart, sustainedShift } from './signals.flags.js';
import { addWeeks } from './signals.metrics.js';

const weeks = (n: number) => Array.from({ length: n }, (_, i) => addWeeks('2026-01-05', i));

/** Reference: the EWMA written out as a weighted sum, and the textbook limits. */
function reference(values: number[], mean: number, sigma: number, lambda: number, L: number) {
  return values.map((_, idx) => {
    const t = idx + 1;
    let z = (1 - lambda) ** t * mean;
    for (let i = 1; i <= t; i++) z += lambda * (1 - lambda) ** (t - i) * values[i - 1]!;
    const w = L * sigma * Math.sqrt((lambda / (2 - lambda)) * (1 - (1 - lambda) ** (2 * t)));
    return { z, lower: mean - w, upper: mean + w };
  });
}

/** Deterministic noise in [-1, 1]. */
function noise(seed: number, n: number): number[] {
  let a = seed;
  return Array.from({ length: n }, () => {
    a = (a * 1103515245 + 12345) % 2147483648;
    return (a / 2147483648) * 2 - 1;
  });
}

describe('EWMA control chart', () => {
  it('matches the reference computation', () => {
    const values = [3, 5, 4, 6, 2, 8, 7, 1, 5, 5];
    const base = { mean: 4, sigma: 1.5 };
    const chart = ewmaChart(weeks(values.length), values, base, { lambda: 0.2, L: 3 });
    const ref = reference(values, 4, 1.5, 0.2, 3);
    chart.forEach((p, i) => {
      expect(p.ewma).toBeCloseTo(ref[i]!.z, 10);
      expect(p.lower).toBeCloseTo(ref[i]!.lower, 10);
      expect(p.upper).toBeCloseTo(ref[i]!.upper, 10);
    });
    expect(EWMA.lambda).toBe(0.2);
    expect(EWMA.L).toBe(3);
  });

  it('uses the sample standard deviation of the baseline weeks (with a floor)', () => {
    const b = baselineOf([2, 4, 4, 4, 5, 5, 7, 9]);
    expect(b.mean).toBe(5);
    expect(b.sigma).toBeCloseTo(Math.sqrt(32 / 7), 10);
    expect(baselineOf([0, 0, 0]).sigma).toBe(EWMA.minSigma);
  });

  it('a noisy but flat series raises no flag', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const n = noise(seed, 40).map((x) => 6 + 2 * x);
      const base = baselineOf(n.slice(0, 12));
      const chart = ewmaChart(weeks(28), n.slice(12), base);
      expect(sustainedShift(chart)).toBeNull();
    }
  });

  it('a real step down is a dip, a step up a strength, from the week it shows', () => {
    const n = noise(7, 40).map((x) => 6 + x);
    const base = baselineOf(n.slice(0, 12));
    const down = n.slice(12).map((x, i) => (i >= 10 ? x - 4 : x));
    const dip = sustainedShift(ewmaChart(weeks(28), down, base));
    expect(dip?.direction).toBe('dip');
    expect(dip!.since >= weeks(28)[10]!).toBe(true);
    const up = n.slice(12).map((x, i) => (i >= 10 ? x + 4 : x));
    expect(sustainedShift(ewmaChart(weeks(28), up, base))?.direction).toBe('strength');
  });

  it('a single outlier week is not a sustained shift', () => {
    const flat = Array.from({ length: 20 }, () => 5);
    flat[8] = 30;
    const chart = ewmaChart(weeks(20), flat, { mean: 5, sigma: 1 });
    expect(chart.filter((p) => p.out !== 0).length).toBeGreaterThanOrEqual(1);
    expect(sustainedShift(chart)).toBeNull();
  });
});
