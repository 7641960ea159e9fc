package io.mcpagent.analyzer.heuristic.internal;

/**
 * Minimises a smooth convex function by limited-memory BFGS with a backtracking line search; used to train the
 * capability model. Single-threaded and without {@code Math}'s platform intrinsics in the objectives that use it, so
 * the same data give the same weights on every machine.
 */
final class Lbfgs {
    private static final int MEMORY = 8;
    private static final double SUFFICIENT_DECREASE = 1e-4;
    private static final int MAX_HALVINGS = 40;

    /** A function to minimise: writes its gradient at {@code x} into {@code gradient} and returns its value. */
    interface Objective {
        double valueAndGradient(double[] x, double[] gradient);
    }

    private Lbfgs() {
    }

    /**
     * The minimum found from {@code start} within {@code maxIterations}, or earlier once no gradient component
     * exceeds {@code tolerance}.
     */
    static double[] minimise(Objective objective, double[] start, int maxIterations, double tolerance) {
        int n = start.length;
        double[] x = start.clone();
        double[] gradient = new double[n];
        double value = objective.valueAndGradient(x, gradient);
        double[][] steps = new double[MEMORY][];
        double[][] gradientChanges = new double[MEMORY][];
        double[] rho = new double[MEMORY];
        double[] alpha = new double[MEMORY];
        int stored = 0;
        int newest = -1;
        double[] candidate = new double[n];
        double[] candidateGradient = new double[n];
        for (int iteration = 0; iteration < maxIterations && maxAbs(gradient) > tolerance; iteration++) {
            // Two-loop recursion: direction = -H * gradient, H from the stored pairs.
            double[] direction = gradient.clone();
            for (int k = 0; k < stored; k++) {
                int i = Math.floorMod(newest - k, MEMORY);
                alpha[i] = rho[i] * dot(steps[i], direction);
                axpy(-alpha[i], gradientChanges[i], direction);
            }
            double scale = stored > 0
                    ? dot(steps[newest], gradientChanges[newest]) / dot(gradientChanges[newest], gradientChanges[newest])
                    : 1.0 / Math.sqrt(dot(gradient, gradient));
            for (int j = 0; j < n; j++) {
                direction[j] *= scale;
            }
            for (int k = stored - 1; k >= 0; k--) {
                int i = Math.floorMod(newest - k, MEMORY);
                double beta = rho[i] * dot(gradientChanges[i], direction);
                axpy(alpha[i] - beta, steps[i], direction);
            }
            for (int j = 0; j < n; j++) {
                direction[j] = -direction[j];
            }
            double slope = dot(gradient, direction);
            if (slope >= 0) { // not a descent direction: start over from the gradient
                stored = 0;
                double norm = Math.sqrt(dot(gradient, gradient));
                for (int j = 0; j < n; j++) {
                    direction[j] = -gradient[j] / norm;
                }
                slope = dot(gradient, direction);
            }
            double step = 1.0;
            double candidateValue = Double.NaN;
            for (int halving = 0; halving <= MAX_HALVINGS; halving++, step *= 0.5) {
                for (int j = 0; j < n; j++) {
                    candidate[j] = x[j] + step * direction[j];
                }
                candidateValue = objective.valueAndGradient(candidate, candidateGradient);
                if (candidateValue <= value + SUFFICIENT_DECREASE * step * slope) {
                    break;
                }
            }
            if (!(candidateValue < value)) {
                break; // no progress left at this precision
            }
            double[] s = new double[n];
            double[] y = new double[n];
            for (int j = 0; j < n; j++) {
                s[j] = candidate[j] - x[j];
                y[j] = candidateGradient[j] - gradient[j];
            }
            double sy = dot(s, y);
            if (sy > 1e-12) {
                newest = (newest + 1) % MEMORY;
                steps[newest] = s;
                gradientChanges[newest] = y;
                rho[newest] = 1.0 / sy;
                stored = Math.min(stored + 1, MEMORY);
            }
            System.arraycopy(candidate, 0, x, 0, n);
            System.arraycopy(candidateGradient, 0, gradient, 0, n);
            value = candidateValue;
        }
        return x;
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    private static void axpy(double factor, double[] from, double[] to) {
        for (int i = 0; i < to.length; i++) {
            to[i] += factor * from[i];
        }
    }

    private static double maxAbs(double[] values) {
        double max = 0;
        for (double v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }
}
