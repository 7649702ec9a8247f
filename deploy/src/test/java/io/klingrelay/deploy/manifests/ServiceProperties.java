package io.klingrelay.deploy.manifests;

import io.klingrelay.common.json.EventJson;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The configuration properties one service really binds: every {@code spring-configuration-metadata.json}
 * in its executable jar (its own classes and every library: Boot's {@code spring.kafka.*}, our
 * {@code klingrelay.*} records) plus the keys of its {@code application.yml}. Answers whether an
 * environment variable binds to one of them under Spring Boot's relaxed binding for the system
 * environment (upper case, {@code _} for {@code .}, dashes dropped, {@code _0_} for {@code [0]}).
 * Elements of a list of records ({@code klingrelay.kling.accounts[0].access-key}) are checked against
 * the record's components, loaded from the jar. Source: Spring Boot reference, "Binding From
 * Environment Variables" and "Configuration Metadata".
 */
final class ServiceProperties {

    private static final Pattern ELEMENT_TYPE = Pattern.compile("java\\.util\\.(?:List|Set|Collection)<([\\w.$]+)>");
    private static final Pattern MAP_TYPE = Pattern.compile("java\\.util\\.Map<.*>");

    /** canonical name (lower case, no dashes, dot-separated) -> metadata type (may be "") */
    private final Map<String, String> properties;
    private final ClassLoader classes;

    private ServiceProperties(Map<String, String> properties, ClassLoader classes) {
        this.properties = properties;
        this.classes = classes;
    }

    /**
     * @param execJar         the service's Spring Boot executable jar
     * @param applicationYaml its {@code src/main/resources/application.yml}
     * @param workDirectory   where the jar's classes and nested jars are unpacked for class loading
     * @return the service's properties
     */
    static ServiceProperties of(Path execJar, Path applicationYaml, Path workDirectory) {
        Map<String, String> properties = new HashMap<>();
        List<URL> classpath = new ArrayList<>();
        try {
            Path classesDirectory = Files.createDirectories(workDirectory.resolve("classes"));
            classpath.add(classesDirectory.toUri().toURL());
            try (ZipInputStream jar = new ZipInputStream(Files.newInputStream(execJar))) {
                for (ZipEntry entry; (entry = jar.getNextEntry()) != null; ) {
                    unpack(jar, entry, classesDirectory, workDirectory, properties, classpath);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Kustomize.documents(applicationYaml).forEach(document -> flatten("", document, properties));
        return new ServiceProperties(properties,
                new URLClassLoader(classpath.toArray(URL[]::new), ClassLoader.getPlatformClassLoader()));
    }

    /**
     * @param environmentVariable e.g. {@code KLINGRELAY_KLING_ACCOUNTS_0_ACCESSKEY}
     * @return whether the service binds it to a known property
     */
    boolean binds(String environmentVariable) {
        List<String> parts = Arrays.asList(environmentVariable.toLowerCase(Locale.ROOT).split("_"));
        for (int prefix = parts.size(); prefix > 0; prefix--) {
            String type = properties.get(String.join(".", parts.subList(0, prefix)));
            if (type != null && bindsRest(type, parts.subList(prefix, parts.size()))) {
                return true;
            }
        }
        return false;
    }

    /** @return how many properties are known (a sanity check that metadata was found) */
    int size() {
        return properties.size();
    }

    private boolean bindsRest(String type, List<String> rest) {
        if (rest.isEmpty()) {
            return true;
        }
        if (MAP_TYPE.matcher(type).matches()) {
            return true;
        }
        Matcher element = ELEMENT_TYPE.matcher(type);
        if (!element.matches() || !rest.getFirst().matches("\\d+")) {
            return false;
        }
        return rest.size() == 1 || isComponent(element.group(1), rest.subList(1, rest.size()));
    }

    private boolean isComponent(String className, List<String> rest) {
        if (rest.size() != 1) {
            return false;
        }
        try {
            Class<?> type = Class.forName(className, false, classes);
            RecordComponent[] components = type.getRecordComponents();
            return components != null && Stream.of(components)
                    .anyMatch(component -> component.getName().toLowerCase(Locale.ROOT).equals(rest.getFirst()));
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private static void unpack(ZipInputStream jar, ZipEntry entry, Path classesDirectory, Path workDirectory,
            Map<String, String> properties, List<URL> classpath) throws IOException {
        String name = entry.getName();
        if (isMetadata(name) || isMetadata(name.replace("BOOT-INF/classes/", ""))) {
            // the application's own metadata: at the jar's root (Boot 4's layout) or under its classes
            readMetadata(jar, properties);
        } else if (name.startsWith("BOOT-INF/classes/") && !entry.isDirectory()) {
            Path target = classesDirectory.resolve(name.substring("BOOT-INF/classes/".length()));
            Files.createDirectories(target.getParent());
            Files.write(target, jar.readAllBytes());
        } else if (name.startsWith("BOOT-INF/lib/") && name.endsWith(".jar")) {
            byte[] library = jar.readAllBytes();
            readLibraryMetadata(library, properties);
            String fileName = name.substring("BOOT-INF/lib/".length());
            if (isOurModule(fileName)) {
                // only our modules hold property records that a list element can name
                Path nested = workDirectory.resolve(fileName);
                Files.write(nested, library);
                classpath.add(nested.toUri().toURL());
            }
        }
    }

    private static void readLibraryMetadata(byte[] library, Map<String, String> properties) throws IOException {
        try (ZipInputStream entries = new ZipInputStream(new ByteArrayInputStream(library))) {
            for (ZipEntry inner; (inner = entries.getNextEntry()) != null; ) {
                if (isMetadata(inner.getName())) {
                    readMetadata(entries, properties);
                }
            }
        }
    }

    private static boolean isOurModule(String jarName) {
        return jarName.startsWith("common-") || jarName.startsWith("kling-client-") || jarName.startsWith("coordination-");
    }

    private static boolean isMetadata(String entryName) {
        return entryName.matches("META-INF/(additional-)?spring-configuration-metadata\\.json");
    }

    private static void readMetadata(InputStream json, Map<String, String> properties) throws IOException {
        JsonNode metadata = EventJson.mapper().readTree(json.readAllBytes());
        for (JsonNode property : metadata.path("properties")) {
            properties.put(canonical(property.get("name").asString()), property.path("type").asString(""));
        }
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> properties) {
        if (node.isObject()) {
            node.properties().forEach(field -> flatten(
                    prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey(), field.getValue(), properties));
        } else if (node.isArray()) {
            properties.putIfAbsent(canonical(prefix), "java.util.List<java.lang.Object>");
        } else {
            properties.putIfAbsent(canonical(prefix), "");
        }
    }

    private static String canonical(String name) {
        return name.toLowerCase(Locale.ROOT).replace("-", "").replaceAll("\\[(\\d+)]", ".$1");
    }

    /**
     * @param moduleDirectory e.g. {@code ../submitter}
     * @return the module's exec jar from its last build, if there is one
     */
    static @Nullable Path execJar(Path moduleDirectory) {
        try (Stream<Path> files = Files.list(moduleDirectory.resolve("target"))) {
            return files.filter(file -> file.getFileName().toString().endsWith("-exec.jar")).findFirst().orElse(null);
        } catch (IOException e) {
            return null;
        }
    }
}
