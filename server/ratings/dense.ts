/**
 * Small dense symmetric matrices (row-major Float64Array, n×n with n = models + covariates): the
 * inverse of a positive definite matrix and the sandwich product, for covariance estimates.
 */

/**
 * Inverse of the symmetric positive definite n×n matrix `a` (left untouched), by Cholesky. A pivot
 * that rounding made non-positive is floored at 1e-14 of the largest diagonal entry, as in the
 * Newton step (server/ratings/cholesky.ts).
 */
export function inverseSpd(a: Float64Array, n: number): Float64Array {
  const l = new Float64Array(a);
  let maxDiagonal = 0;
  for (let i = 0; i < n; i++) maxDiagonal = Math.max(maxDiagonal, a[i * n + i]!);
  const floor = Math.max(maxDiagonal, Number.MIN_VALUE) * 1e-14;
  for (let j = 0; j < n; j++) {
    let diagonal = l[j * n + j]!;
    for (let k = 0; k < j; k++) diagonal -= l[j * n + k]! * l[j * n + k]!;
    const pivot = Math.sqrt(Math.max(diagonal, floor));
    l[j * n + j] = pivot;
    for (let i = j + 1; i < n; i++) {
      let s = l[i * n + j]!;
      for (let k = 0; k < j; k++) s -= l[i * n + k]! * l[j * n + k]!;
      l[i * n + j] = s / pivot;
    }
  }
  const inverse = new Float64Array(n * n);
  const column = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    column.fill(0);
    column[c] = 1;
    for (let i = 0; i < n; i++) {
      let s = column[i]!;
      for (let k = 0; k < i; k++) s -= l[i * n + k]! * column[k]!;
      column[i] = s / l[i * n + i]!;
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = column[i]!;
      for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * column[k]!;
      column[i] = s / l[i * n + i]!;
    }
    for (let i = 0; i < n; i++) inverse[i * n + c] = column[i]!;
  }
  return inverse;
}

/** a·b·a for symmetric n×n matrices: the sandwich A⁻¹ G A⁻¹ once `a` is the inverse. */
export function sandwich(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const ab = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const x = a[i * n + k]!;
      if (x === 0) continue;
      for (let j = 0; j < n; j++) ab[i * n + j]! += x * b[k * n + j]!;
    }
  }
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const x = ab[i * n + k]!;
      if (x === 0) continue;
      for (let j = 0; j < n; j++) out[i * n + j]! += x * a[k * n + j]!;
    }
  }
  return out;
}

/**
 * P·c·P with P = I − 11ᵀ/m on the first m coordinates (the ratings) and the identity on the rest:
 * the covariance of centred ratings (mean zero), the scale every fit in server/ratings reports.
 */
export function centreCovariance(c: Float64Array, n: number, m: number): Float64Array {
  const rowMean = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < m; j++) s += c[i * n + j]!;
    rowMean[i] = s / m;
  }
  let grandMean = 0;
  for (let i = 0; i < m; i++) grandMean += rowMean[i]!;
  grandMean /= m;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let value = c[i * n + j]!;
      if (j < m) value -= rowMean[i]!;
      if (i < m) value -= rowMean[j]!;
      if (i < m && j < m) value += grandMean;
      out[i * n + j] = value;
    }
  }
  return out;
}
