package io.klingrelay.deploy.manifests;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Renders a Kustomize directory in the test JVM, as {@code kubectl kustomize} would, for the subset
 * of Kustomize this project's manifests use: {@code resources} (files and directories),
 * {@code namespace}, {@code images} ({@code newName}, {@code newTag}) and {@code patches} with an
 * inline JSON 6902 patch ({@code add}, {@code replace}, {@code remove}) and a {@code kind}+{@code name}
 * target. Any other field fails the rendering, so a manifest can't silently rely on more. Source:
 * kubectl.docs.kubernetes.io, Kustomization file reference.
 */
final class Kustomize {

    static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final Set<String> SUPPORTED = Set.of("apiVersion", "kind", "resources", "namespace", "images", "patches");
    private static final KubernetesSerialization KUBERNETES = new KubernetesSerialization();

    private Kustomize() {
    }

    /**
     * @param directory a directory holding {@code kustomization.yaml}
     * @return the rendered resources, typed by the fabric8 model (unknown kinds as
     *         {@link io.fabric8.kubernetes.api.model.GenericKubernetesResource})
     */
    static List<HasMetadata> render(Path directory) {
        return renderTrees(directory).stream()
                .map(tree -> (HasMetadata) KUBERNETES.unmarshal(tree.toString(), HasMetadata.class))
                .toList();
    }

    /**
     * @param directory a directory holding {@code kustomization.yaml}
     * @return the rendered resources as YAML trees
     */
    static List<ObjectNode> renderTrees(Path directory) {
        JsonNode kustomization = documents(directory.resolve("kustomization.yaml")).getFirst();
        kustomization.propertyNames().forEach(field -> {
            if (!SUPPORTED.contains(field)) {
                throw new IllegalStateException(directory + ": unsupported kustomization field " + field);
            }
        });
        List<ObjectNode> resources = new ArrayList<>();
        for (JsonNode resource : kustomization.path("resources")) {
            Path path = directory.resolve(resource.asString()).normalize();
            if (Files.isDirectory(path)) {
                resources.addAll(renderTrees(path));
            } else {
                documents(path).forEach(document -> resources.add((ObjectNode) document));
            }
        }
        kustomization.path("patches").forEach(patch -> applyPatch(resources, patch));
        kustomization.path("images").forEach(image -> resources.forEach(resource -> setImage(resource, image)));
        if (kustomization.has("namespace")) {
            resources.forEach(resource -> ((ObjectNode) resource.get("metadata"))
                    .put("namespace", kustomization.get("namespace").asString()));
        }
        return resources;
    }

    /**
     * @param file a YAML file of one or more documents
     * @return its non-empty documents
     */
    static List<JsonNode> documents(Path file) {
        try {
            List<JsonNode> documents = new ArrayList<>();
            YAML.readerFor(JsonNode.class).readValues(Files.readString(file)).forEachRemaining(node -> {
                JsonNode document = (JsonNode) node;
                if (document != null && document.isObject() && !document.isEmpty()) {
                    documents.add(document);
                }
            });
            return documents;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void applyPatch(List<ObjectNode> resources, JsonNode patch) {
        JsonNode target = patch.get("target");
        ObjectNode resource = resources.stream()
                .filter(candidate -> candidate.path("kind").asString().equals(target.get("kind").asString()))
                .filter(candidate -> candidate.path("metadata").path("name").asString().equals(target.get("name").asString()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("patch target not found: " + target));
        JsonNode operations = YAML.readTree(patch.get("patch").asString());
        operations.forEach(operation -> JsonPatch.apply(resource, operation));
    }

    private static void setImage(ObjectNode resource, JsonNode image) {
        JsonNode containers = resource.path("spec").path("template").path("spec").path("containers");
        if (!(containers instanceof ArrayNode list)) {
            return;
        }
        for (JsonNode container : list) {
            String current = container.path("image").asString();
            int tag = current.lastIndexOf(':');
            String name = tag < 0 ? current : current.substring(0, tag);
            if (name.equals(image.get("name").asString())) {
                String newName = image.has("newName") ? image.get("newName").asString() : name;
                String newTag = image.has("newTag") ? image.get("newTag").asString() : current.substring(tag + 1);
                ((ObjectNode) container).put("image", newName + ":" + newTag);
            }
        }
    }
}
