package io.klingrelay.deploy.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Builds the webhook receiver's image the way an operator does, {@code ./klingrelay images --base
 * local webhook-receiver} (Jib {@code buildTar}, no Docker daemon, the local JRE base because this
 * machine reaches no container registry), then unpacks the tar and checks what a runtime would
 * run: entrypoint, user, ports, labels, and the application in its own layers.
 */
class ImageIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path TAR = ROOT.resolve("deploy/target/images/webhook-receiver.tar");
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(9);

    private static OciImageTar image;

    @BeforeAll
    static void buildTheImage() throws IOException, InterruptedException {
        Files.deleteIfExists(TAR);
        Path log = Files.createTempFile("klingrelay-images", ".log");
        Process build = new ProcessBuilder(ROOT.resolve("klingrelay").toString(), "images", "--base", "local",
                "webhook-receiver")
                .directory(ROOT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        boolean done = build.waitFor(BUILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (!done) {
            build.destroyForcibly();
        }
        assertThat(done && build.exitValue() == 0)
                .as("./klingrelay images --base local webhook-receiver:%n%s", Files.readString(log))
                .isTrue();
        Files.delete(log);
        image = OciImageTar.read(TAR);
    }

    @Test
    void entrypointRunsTheApplicationClassWithHeapSizedToTheContainer() {
        List<String> entrypoint = strings(image.config().get("config").get("Entrypoint"));

        assertThat(entrypoint).first().isEqualTo("java");
        assertThat(entrypoint).contains("-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError")
                .doesNotContain("-Xmx");
        assertThat(entrypoint).last().isEqualTo("io.klingrelay.webhookreceiver.WebhookReceiverApplication");
    }

    @Test
    void runsAsTheNonRootUser() {
        String user = image.config().get("config").get("User").asString();

        assertThat(user).isEqualTo("65532:65532").doesNotStartWith("0").doesNotStartWith("root");
    }

    @Test
    void exposesThePublicAndTheManagementPortAndListensOnThePublicOne() {
        JsonNode config = image.config().get("config");

        assertThat(config.get("ExposedPorts").propertyNames()).containsExactlyInAnyOrder("8080/tcp", "8081/tcp");
        assertThat(strings(config.get("Env"))).contains("SERVER_PORT=8080")
                .anySatisfy(env -> assertThat(env).startsWith("PATH=").contains("/opt/java/openjdk/bin"));
    }

    @Test
    void labelsNameVersionRevisionAndSource() {
        JsonNode labels = image.config().get("config").get("Labels");

        assertThat(labels.get("org.opencontainers.image.version").asString()).isEqualTo("0.1.0-SNAPSHOT");
        assertThat(labels.get("org.opencontainers.image.revision").asString()).matches("[0-9a-f]{40}");
        assertThat(labels.get("org.opencontainers.image.source").asString()).startsWith("https://");
    }

    @Test
    void dependenciesProjectModulesAndClassesSitInSeparateLayersAboveTheJre() {
        List<List<String>> layers = image.layers();

        int jre = layerWith(layers, "opt/java/openjdk/bin/java");
        int libraries = layerWith(layers, "app/libs/spring-kafka-");
        int projectModules = layerWith(layers, "app/libs/coordination-0.1.0-SNAPSHOT.jar");
        int classes = layerWith(layers, "app/classes/io/klingrelay/webhookreceiver/WebhookReceiverApplication.class");
        int resources = layerWith(layers, "app/resources/application.yml");

        assertThat(List.of(jre, libraries, projectModules, classes, resources)).doesNotHaveDuplicates();
        assertThat(jre).isZero();
        assertThat(classes).isGreaterThan(libraries);
        assertThat(layers.get(classes)).noneMatch(path -> path.startsWith("app/libs/") && path.endsWith(".jar"));
    }

    private static int layerWith(List<List<String>> layers, String pathPrefix) {
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i).stream().anyMatch(path -> path.startsWith(pathPrefix))) {
                return i;
            }
        }
        throw new AssertionError("no layer holds " + pathPrefix + "; layers: " + layers.size());
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asString()));
        return values;
    }
}
