package io.klingrelay.deploy.manifests;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON Patch operations {@code add}, {@code replace} and {@code remove} (RFC 6902) on a YAML tree,
 * for {@link Kustomize}'s patches. Paths are JSON Pointers (RFC 6901); {@code -} appends to an array.
 */
final class JsonPatch {

    private JsonPatch() {
    }

    /**
     * @param document  the tree to change in place
     * @param operation {@code {op, path, value}}
     * @throws IllegalStateException for another operation or a path that does not exist
     */
    static void apply(JsonNode document, JsonNode operation) {
        String op = operation.get("op").asString();
        String path = operation.get("path").asString();
        int slash = path.lastIndexOf('/');
        JsonNode parent = document.at(path.substring(0, slash));
        String last = path.substring(slash + 1).replace("~1", "/").replace("~0", "~");
        if (parent.isMissingNode()) {
            throw new IllegalStateException("no " + path.substring(0, slash) + " for " + operation);
        }
        switch (op) {
            case "add", "replace" -> set(parent, last, operation.get("value"), op.equals("add"), operation);
            case "remove" -> remove(parent, last);
            default -> throw new IllegalStateException("unsupported JSON patch operation " + op);
        }
    }

    private static void set(JsonNode parent, String last, JsonNode value, boolean add, JsonNode operation) {
        if (parent instanceof ObjectNode object) {
            if (!add && !object.has(last)) {
                throw new IllegalStateException("replace of a missing member: " + operation);
            }
            object.set(last, value);
        } else if (parent instanceof ArrayNode array) {
            if (last.equals("-")) {
                array.add(value);
            } else if (add) {
                array.insert(Integer.parseInt(last), value);
            } else {
                array.set(Integer.parseInt(last), value);
            }
        }
    }

    private static void remove(JsonNode parent, String last) {
        if (parent instanceof ObjectNode object) {
            object.remove(last);
        } else if (parent instanceof ArrayNode array) {
            array.remove(Integer.parseInt(last));
        }
    }
}
