/** Dense symmetric positive definite solve for the Newton step (m is the number of models, small). */

/**
 * Cholesky factorisation of the n×n symmetric positive (semi)definite matrix `a` (overwritten),
 * then solves a·x = b in place of b. A pivot that rounding made non-positive is floored at a tiny
 * multiple of the largest diagonal: only the step direction changes, not the fixed point.
 */
export function choleskySolveInPlace(a: Float64Array, b: Float64Array, n: number): void {
  choleskyFactorInPlace(a, n);
  choleskySubstituteInPlace(a, b, n);
}

/** The lower Cholesky factor L (a = L·Lᵀ) in the lower triangle of `a`; the upper triangle is left as it was. */
export function choleskyFactorInPlace(a: Float64Array, n: number): void {
  let maxDiagonal = 0;
  for (let i = 0; i < n; i++) maxDiagonal = Math.max(maxDiagonal, a[i * n + i]!);
  const floor = Math.max(maxDiagonal, Number.MIN_VALUE) * 1e-14;
  for (let j = 0; j < n; j++) {
    let diagonal = a[j * n + j]!;
    for (let k = 0; k < j; k++) diagonal -= a[j * n + k]! * a[j * n + k]!;
    const pivot = Math.sqrt(Math.max(diagonal, floor));
    a[j * n + j] = pivot;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j]!;
      for (let k = 0; k < j; k++) s -= a[i * n + k]! * a[j * n + k]!;
      a[i * n + j] = s / pivot;
    }
  }
}

/** Solves L·Lᵀ·x = b in place of b, L from choleskyFactorInPlace. */
export function choleskySubstituteInPlace(l: Float64Array, b: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * n + k]! * b[k]!;
    b[i] = s / l[i * n + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * b[k]!;
    b[i] = s / l[i * n + i]!;
  }
}
