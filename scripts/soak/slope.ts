/** A reading of memory, `atSeconds` into the soak. */
export interface MemoryPoint {
  readonly atSeconds: number;
  readonly mb: number;
}

/** The slope of the least-squares line through the points (y per x); NaN for fewer than 2 x's. */
export function leastSquaresSlope(points: ReadonlyArray<readonly [number, number]>): number {
  const n = points.length;
  if (n < 2) return NaN;
  const meanX = points.reduce((sum, [x]) => sum + x, 0) / n;
  const meanY = points.reduce((sum, [, y]) => sum + y, 0) / n;
  let covariance = 0;
  let variance = 0;
  for (const [x, y] of points) {
    covariance += (x - meanX) * (y - meanY);
    variance += (x - meanX) ** 2;
  }
  return variance === 0 ? NaN : covariance / variance;
}

/** Where the fit starts: after the first 5 minutes, or the first 20% of a run under 25 minutes. */
export const fitFromSeconds = (durationSeconds: number): number =>
  Math.min(300, 0.2 * durationSeconds);

/** MB per hour of the samples after the warm-up (fitFromSeconds), least squares. */
export function slopeMbPerHour(samples: readonly MemoryPoint[], durationSeconds: number): number {
  const from = fitFromSeconds(durationSeconds);
  const fitted = samples
    .filter((sample) => sample.atSeconds >= from)
    .map((sample): [number, number] => [sample.atSeconds, sample.mb]);
  return leastSquaresSlope(fitted) * 3600;
}
