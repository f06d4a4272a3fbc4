/** A smooth convex function of a flat parameter vector, with its gradient. */
export type SmoothObjective = (x: Float64Array) => { value: number; gradient: Float64Array };

export interface MinimiseOptions {
  /** Stop when the Euclidean norm of the gradient is at most this. */
  tolerance: number;
  maxIterations?: number;
  /** Curvature pairs kept by L-BFGS. */
  memory?: number;
  /** H₀·g for an approximate inverse Hessian H₀ at x; without it H₀ is the usual scaled identity. */
  precondition?: (gradient: Float64Array, x: Float64Array) => Float64Array;
}

export interface Minimum {
  x: Float64Array;
  value: number;
  gradientNorm: number;
  iterations: number;
  converged: boolean;
}

const dot = (a: Float64Array, b: Float64Array): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

const ARMIJO = 1e-4;

/** L-BFGS with a backtracking Armijo line search; on a convex objective sᵀy ≥ 0, so curvature pairs are only skipped when flat. */
export function minimiseLbfgs(objective: SmoothObjective, start: Float64Array, options: MinimiseOptions): Minimum {
  const maxIterations = options.maxIterations ?? 20000;
  const memory = options.memory ?? 10;
  let x = Float64Array.from(start);
  let { value, gradient } = objective(x);
  const steps: Float64Array[] = [];
  const changes: Float64Array[] = [];
  const initial = (q: Float64Array): Float64Array => {
    if (options.precondition) return options.precondition(q, x);
    const k = steps.length;
    const scale =
      k > 0
        ? dot(steps[k - 1], changes[k - 1]) / dot(changes[k - 1], changes[k - 1])
        : 1 / Math.max(Math.sqrt(dot(q, q)), 1);
    return q.map((v) => v * scale);
  };
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    const gradientNorm = Math.sqrt(dot(gradient, gradient));
    if (gradientNorm <= options.tolerance) return { x, value, gradientNorm, iterations, converged: true };
    const direction = searchDirection(gradient, steps, changes, initial);
    let slope = dot(gradient, direction);
    if (!(slope < 0)) {
      // The quasi-Newton model went stale: restart from steepest descent.
      steps.length = changes.length = 0;
      direction.set(gradient.map((g) => -g / gradientNorm));
      slope = -gradientNorm;
    }
    let step = 1;
    let trial = x.map((xi, i) => xi + direction[i]);
    let next = objective(trial);
    while (!(next.value <= value + ARMIJO * step * slope) && step > 1e-20) {
      step /= 2;
      trial = x.map((xi, i) => xi + step * direction[i]);
      next = objective(trial);
    }
    if (!(next.value <= value + ARMIJO * step * slope)) {
      if (steps.length === 0) break;
      steps.length = changes.length = 0;
      continue;
    }
    const s = trial.map((t, i) => t - x[i]);
    const y = next.gradient.map((g, i) => g - gradient[i]);
    if (dot(s, y) > 1e-16 * dot(y, y)) {
      steps.push(s);
      changes.push(y);
      if (steps.length > memory) {
        steps.shift();
        changes.shift();
      }
    }
    x = trial;
    ({ value, gradient } = next);
  }
  const gradientNorm = Math.sqrt(dot(gradient, gradient));
  return { x, value, gradientNorm, iterations, converged: gradientNorm <= options.tolerance };
}

/** The two-loop recursion: −H·g for the inverse-Hessian estimate H built from the stored pairs on top of H₀. */
function searchDirection(
  gradient: Float64Array,
  steps: Float64Array[],
  changes: Float64Array[],
  initial: (q: Float64Array) => Float64Array,
): Float64Array {
  const q = Float64Array.from(gradient);
  const k = steps.length;
  const alphas = new Float64Array(k);
  for (let i = k - 1; i >= 0; i--) {
    alphas[i] = dot(steps[i], q) / dot(changes[i], steps[i]);
    for (let j = 0; j < q.length; j++) q[j] -= alphas[i] * changes[i][j];
  }
  const r = initial(q);
  for (let i = 0; i < k; i++) {
    const beta = dot(changes[i], r) / dot(changes[i], steps[i]);
    for (let j = 0; j < r.length; j++) r[j] += steps[i][j] * (alphas[i] - beta);
  }
  return r.map((v) => -v);
}
