package dev.panode.bench.suite;

/**
 * How long the suite measures each benchmark. JMH's defaults (5 forks × 5 × 10 s) would take hours for the whole
 * suite; these trade precision for time, and every figure carries its error either way.
 */
public enum Profile {
    /**
     * About 3 s per benchmark configuration with its fork (some 7 minutes for the ~160 configurations of the whole
     * suite, seconds for a filtered area): 1 fork, 2 × 0.4 s warm-up, 3 × 0.4 s measured. For a quick look and the gate.
     */
    QUICK(1, 2, 400, 3, 400),
    /** The figures for docs/BENCHMARKS.md and for refreshing the baseline: 2 forks, 5 × 2 s warm-up, 5 × 2 s measured. */
    FULL(2, 5, 2000, 5, 2000),
    /** Seconds, in the calling JVM (no fork): only proves that a benchmark runs. CI uses it. */
    SMOKE(0, 1, 100, 1, 200);

    /** JVM forks per benchmark (0: in the calling JVM). */
    public final int forks;
    /** warm-up iterations */
    public final int warmups;
    /** length of one warm-up iteration, ms */
    public final int warmupMillis;
    /** measured iterations */
    public final int iterations;
    /** length of one measured iteration, ms */
    public final int iterationMillis;

    Profile(int forks, int warmups, int warmupMillis, int iterations, int iterationMillis) {
        this.forks = forks;
        this.warmups = warmups;
        this.warmupMillis = warmupMillis;
        this.iterations = iterations;
        this.iterationMillis = iterationMillis;
    }
}
