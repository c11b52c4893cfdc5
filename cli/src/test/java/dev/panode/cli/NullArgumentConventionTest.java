package dev.panode.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.blas.testing.TestData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * One exception type and one message per kind of misuse: a null argument is an {@link IllegalArgumentException}
 * reading "NAME must be non-null" in every module's main sources, so none of them calls
 * {@code Objects.requireNonNull} (a {@link NullPointerException}) or words a null check another way.
 */
class NullArgumentConventionTest {
    private static final Path ROOT = TestData.projectRoot();
    private static final Pattern OTHER_WORDING =
            Pattern.compile("\"[^\"]*(must not be null|is null\"|, was null)");

    private static List<Path> mainSources() {
        try (Stream<Path> s = Files.walk(ROOT)) {
            return s.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> ROOT.relativize(p).toString().replace('\\', '/').contains("/src/main/java/"))
                    .filter(p -> !ROOT.relativize(p).toString().contains("/target/"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void noMainSourceThrowsNullPointerExceptionForANullArgument() throws IOException {
        List<Path> sources = mainSources();
        assertTrue(sources.size() > 100, "main sources found under " + ROOT + ": " + sources.size());
        List<String> offending = new ArrayList<>();
        for (Path p : sources) {
            List<String> lines = Files.readAllLines(p);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.contains("Objects.requireNonNull(") || OTHER_WORDING.matcher(line).find()) {
                    offending.add(ROOT.relativize(p) + ":" + (i + 1) + ": " + line.strip());
                }
            }
        }
        assertEquals(List.of(), offending, "null checks must throw IllegalArgumentException(\"NAME must be non-null\")"
                + " (dev.panode.blas.Arguments.nonNull)");
    }
}
