package io.klingrelay.common.contract;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Checks that a newer JSON Schema of an event is compatible with a released one, in both directions
 * that matter on a topic: every payload valid under the released schema is still a payload the new
 * code writes, and a consumer built on the released schema still finds every field it relies on.
 * Allowed: a new optional property, a new enum value, a changed description. Incompatible:
 * <ul>
 *   <li>a property removed (or renamed, which is a removal plus an addition);</li>
 *   <li>a property's {@code type} or {@code format} changed;</li>
 *   <li>a property made required, or a required one made optional (consumers rely on it being there);</li>
 *   <li>an enum value removed;</li>
 *   <li>additional properties forbidden where they were allowed.</li>
 * </ul>
 * Nested objects ({@code properties}) and array elements ({@code items}) are checked the same way.
 * The schemas are the generated ones: inline, no {@code $ref}.
 */
final class SchemaCompatibility {

    private SchemaCompatibility() {
    }

    /**
     * @param released the frozen schema of the released {@code schemaVersion}
     * @param current  the schema the records generate now
     * @return one sentence per incompatibility, each starting with a JSON pointer; empty when compatible
     */
    static List<String> incompatibilities(JsonNode released, JsonNode current) {
        List<String> problems = new ArrayList<>();
        compare("", released, current, problems);
        return problems;
    }

    private static void compare(String path, JsonNode released, JsonNode current, List<String> problems) {
        compareKeyword(path, "type", released, current, problems);
        compareKeyword(path, "format", released, current, problems);
        compareEnum(path, released, current, problems);
        compareRequired(path, released, current, problems);
        compareAdditionalProperties(path, released, current, problems);
        compareProperties(path, released, current, problems);
        if (released.has("items") && current.has("items")) {
            compare(path + "/items", released.get("items"), current.get("items"), problems);
        }
    }

    private static void compareKeyword(String path, String keyword, JsonNode released, JsonNode current,
            List<String> problems) {
        if (!Objects.equals(released.get(keyword), current.get(keyword))) {
            problems.add(pointer(path) + ": " + keyword + " changed from " + released.get(keyword) + " to "
                    + current.get(keyword));
        }
    }

    private static void compareEnum(String path, JsonNode released, JsonNode current, List<String> problems) {
        Set<String> removed = values(released.get("enum"));
        removed.removeAll(values(current.get("enum")));
        if (released.has("enum") && !removed.isEmpty()) {
            problems.add(pointer(path) + ": enum value(s) removed: " + removed);
        }
    }

    private static void compareRequired(String path, JsonNode released, JsonNode current, List<String> problems) {
        Set<String> was = values(released.get("required"));
        Set<String> now = values(current.get("required"));
        for (String name : now) {
            if (!was.contains(name)) {
                problems.add(pointer(path + "/properties/" + name) + ": made required");
            }
        }
        for (String name : was) {
            if (!now.contains(name) && hasProperty(current, name)) {
                problems.add(pointer(path + "/properties/" + name) + ": no longer required");
            }
        }
    }

    private static void compareAdditionalProperties(String path, JsonNode released, JsonNode current,
            List<String> problems) {
        if (forbidsAdditional(current) && !forbidsAdditional(released)) {
            problems.add(pointer(path) + ": additional properties forbidden");
        }
    }

    private static void compareProperties(String path, JsonNode released, JsonNode current, List<String> problems) {
        JsonNode releasedProperties = released.get("properties");
        if (releasedProperties == null) {
            return;
        }
        for (String name : releasedProperties.propertyNames()) {
            String propertyPath = path + "/properties/" + name;
            if (!hasProperty(current, name)) {
                problems.add(pointer(propertyPath) + ": removed");
            } else {
                compare(propertyPath, releasedProperties.get(name), current.get("properties").get(name), problems);
            }
        }
    }

    private static boolean hasProperty(JsonNode schema, String name) {
        return schema.has("properties") && schema.get("properties").has(name);
    }

    private static boolean forbidsAdditional(JsonNode schema) {
        return schema.has("additionalProperties") && schema.get("additionalProperties").isBoolean()
                && !schema.get("additionalProperties").asBoolean();
    }

    private static Set<String> values(JsonNode array) {
        Set<String> values = new LinkedHashSet<>();
        if (array != null) {
            array.forEach(value -> values.add(value.asString()));
        }
        return values;
    }

    private static String pointer(String path) {
        return path.isEmpty() ? "/" : path;
    }
}
