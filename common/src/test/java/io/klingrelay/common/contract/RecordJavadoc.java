package io.klingrelay.common.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Javadoc of one record in {@code src/main/java}, read from its source file: the summary (first
 * paragraph) and one text per {@code @param}. The schemas take their descriptions from here, so the
 * record's Javadoc stays the one place a field is documented.
 *
 * @param summary the first paragraph, inline tags reduced to their text; empty when there is none
 * @param params  {@code @param} texts by component name
 */
record RecordJavadoc(String summary, Map<String, String> params) {

    private static final Pattern INLINE_TAG = Pattern.compile("\\{@(?:code|link|linkplain|literal)\\s+([^}]*)}");
    private static final Pattern PARAM = Pattern.compile("^@param\\s+(\\w+)\\s+(.*)$", Pattern.DOTALL);

    /**
     * @param type       a top-level type
     * @param sourceRoot the {@code src/main/java} directory holding it
     * @return its Javadoc, empty when the file has none
     * @throws UncheckedIOException when the source file cannot be read
     */
    static RecordJavadoc of(Class<?> type, Path sourceRoot) {
        Path file = sourceRoot.resolve(type.getName().replace('.', '/') + ".java");
        try {
            return parse(Files.readString(file), type.getSimpleName());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Javadoc of " + type.getName() + " from " + file, e);
        }
    }

    /** @return the {@code @param} text of {@code component} */
    Optional<String> param(String component) {
        return Optional.ofNullable(params.get(component));
    }

    static RecordJavadoc parse(String source, String simpleName) {
        int declaration = source.indexOf("public record " + simpleName);
        int start = declaration < 0 ? -1 : source.lastIndexOf("/**", declaration);
        if (start < 0) {
            return new RecordJavadoc("", Map.of());
        }
        String[] blocks = stripStars(source.substring(start + 3, source.indexOf("*/", start))).split("\n(?=@)");
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 1; i < blocks.length; i++) {
            Matcher param = PARAM.matcher(blocks[i].strip());
            if (param.matches()) {
                params.put(param.group(1), clean(param.group(2)));
            }
        }
        return new RecordJavadoc(clean(blocks[0].split("<p>|\n\\s*\n")[0]), params);
    }

    private static String stripStars(String comment) {
        return comment.lines().map(line -> line.replaceFirst("^\\s*\\*\\s?", "")).reduce((a, b) -> a + "\n" + b)
                .orElse("");
    }

    private static String clean(String text) {
        return INLINE_TAG.matcher(text).replaceAll(match -> Matcher.quoteReplacement(match.group(1).replace('#', '.')))
                .replaceAll("(^|\\s)\\.", "$1").replaceAll("\\s+", " ").strip();
    }
}
