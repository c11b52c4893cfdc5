package dev.panode.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panode.blas.testing.TestData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The documentation stands alone: every relative link in the repository's Markdown files reaches a file of the
 * repository (and, with a {@code #fragment}, a heading of it), every "ALGORITHMS.md §n" citation in the sources and
 * docs names a section that exists, and every Markdown file a source comment names is in the repository.
 */
class DocumentationLinksTest {
    private static final Path ROOT = TestData.projectRoot();
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern SECTION_CITATION = Pattern.compile("ALGORITHMS\\.md,? §(\\d+(?:\\.\\d+)?)");
    private static final Pattern MD_NAME = Pattern.compile("([A-Za-z0-9_./-]+\\.md)\\b");

    private static List<Path> files(String suffix) {
        try (Stream<Path> s = Files.walk(ROOT)) {
            return s.filter(p -> p.toString().endsWith(suffix))
                    .filter(p -> {
                        String rel = ROOT.relativize(p).toString();
                        return !rel.startsWith(".") && !rel.contains("/target/") && !rel.startsWith("target/")
                                && !rel.contains("/.") && !rel.startsWith("panode-out");
                    })
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** GitHub's anchor of a heading: lower case, punctuation dropped (letters, digits, '-', '_' kept), spaces to '-'. */
    static String anchor(String heading) {
        return heading.strip().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }

    private static Set<String> anchors(Path markdown) throws IOException {
        Set<String> out = new HashSet<>();
        boolean code = false;
        for (String line : Files.readAllLines(markdown)) {
            if (line.startsWith("```")) code = !code;
            if (!code && line.startsWith("#")) out.add(anchor(line.replaceFirst("^#+", "")));
        }
        return out;
    }

    @Test
    void anchorsFollowGitHubsRule() {
        assertEquals("6-the-mlp-field-and-its-vectorjacobian-product",
                anchor("6. The MLP field and its vector–Jacobian product"));
        assertEquals("91-the-augmented-system", anchor("9.1 The augmented system"));
    }

    @Test
    void relativeLinksReachFilesAndHeadings() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path md : files(".md")) {
            String text = Files.readString(md);
            Matcher m = LINK.matcher(text);
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("^[a-z]+:.*")) continue; // http:, https:, mailto:
                String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
                String fragment = target.contains("#") ? target.substring(target.indexOf('#') + 1) : null;
                Path resolved = file.isEmpty() ? md : md.getParent().resolve(file).normalize();
                if (!resolved.startsWith(ROOT) || !Files.exists(resolved)) {
                    broken.add(ROOT.relativize(md) + ": " + target + " (no such file in the repository)");
                } else if (fragment != null && resolved.toString().endsWith(".md")
                        && !anchors(resolved).contains(fragment)) {
                    broken.add(ROOT.relativize(md) + ": " + target + " (no such heading)");
                }
            }
        }
        assertTrue(broken.isEmpty(), String.join("\n", broken));
    }

    @Test
    void sectionCitationsNameExistingSections() throws IOException {
        Set<String> sections = new HashSet<>();
        for (String line : Files.readAllLines(ROOT.resolve("docs/ALGORITHMS.md"))) {
            Matcher m = Pattern.compile("^#{2,3} (\\d+(?:\\.\\d+)?)\\.? ").matcher(line);
            if (m.find()) sections.add(m.group(1));
        }
        assertTrue(sections.containsAll(List.of("2", "7", "9.4", "10")), sections.toString());
        List<String> wrong = new ArrayList<>();
        List<Path> sources = new ArrayList<>(files(".java"));
        sources.addAll(files(".md"));
        for (Path p : sources) {
            Matcher m = SECTION_CITATION.matcher(Files.readString(p));
            while (m.find()) {
                if (!sections.contains(m.group(1))) wrong.add(ROOT.relativize(p) + ": §" + m.group(1));
            }
        }
        assertTrue(wrong.isEmpty(), "citations of missing sections:\n" + String.join("\n", wrong));
    }

    @Test
    void markdownFilesNamedInSourcesExist() throws IOException {
        Set<String> names = new HashSet<>();
        for (Path md : files(".md")) names.add(md.getFileName().toString());
        List<String> missing = new ArrayList<>();
        for (Path java : files(".java")) {
            Matcher m = MD_NAME.matcher(Files.readString(java));
            while (m.find()) {
                String name = Path.of(m.group(1)).getFileName().toString();
                if (!names.contains(name)) missing.add(ROOT.relativize(java) + ": " + m.group(1));
            }
        }
        assertTrue(missing.isEmpty(), "documents not in the repository:\n" + String.join("\n", missing));
    }
}
