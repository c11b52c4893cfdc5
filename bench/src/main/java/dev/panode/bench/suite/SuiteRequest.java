package dev.panode.bench.suite;

import dev.panode.blas.Arguments;
import java.util.List;

/**
 * What to run.
 *
 * @param profile     how long to measure
 * @param includes    regular expressions on benchmark names (JMH's include); empty means every panode benchmark
 * @param excludes    regular expressions to leave out
 * @param gcProfiler  run JMH's gc profiler, which reports bytes allocated per operation ({@code gc.alloc.rate.norm})
 * @param roofline    also measure the dgemm peak (if the includes do not already) and report the roofline
 */
public record SuiteRequest(Profile profile, List<String> includes, List<String> excludes, boolean gcProfiler, boolean roofline) {
    /** Every benchmark in panode's packages. */
    public static final String ALL = "^dev\\.panode\\.bench\\..*";

    public SuiteRequest {
        Arguments.nonNull(profile, "profile");
        includes = Arguments.nonNullCopy(includes, "includes");
        excludes = Arguments.nonNullCopy(excludes, "excludes");
        for (String regex : includes) {
            java.util.regex.Pattern.compile(regex); // a malformed filter fails here, naming itself
        }
    }
}
