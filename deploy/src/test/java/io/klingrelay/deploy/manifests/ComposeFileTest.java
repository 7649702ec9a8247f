package io.klingrelay.deploy.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import io.klingrelay.common.kafka.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code deploy/compose/compose.yaml} cannot run here (no Docker), so it is parsed and checked
 * against the images {@code ./klingrelay images} builds and the properties the services bind.
 */
class ComposeFileTest {

    private static final Path COMPOSE = KubernetesManifestsTest.ROOT.resolve("deploy/compose/compose.yaml");
    private static final JsonNode SERVICES = Kustomize.documents(COMPOSE).getFirst().get("services");
    private static final Pattern IMAGE_PORT = Pattern.compile("<klingrelay.image.port>(\\d+)</klingrelay.image.port>");

    @Test
    void runsTheBackingServicesTheEmulatorTheFourServicesAndTheDemoJob() {
        assertThat(SERVICES.propertyNames()).contains("kafka", "redis", "minio", "kling-emulator", "submitter",
                "webhook-receiver", "poller", "archiver", "status", "demo-campaign");
        assertThat(SERVICES.get("kafka").at("/environment/KAFKA_PROCESS_ROLES").asString()).contains("controller");
        assertThat(strings(SERVICES.get("redis").get("command"))).containsSequence("--appendonly", "yes");
        SERVICES.properties().forEach(service -> service.getValue().path("depends_on").propertyNames()
                .forEach(dependency -> assertThat(SERVICES.has(dependency)).as(service.getKey() + " -> " + dependency).isTrue()));
    }

    @Test
    void everyKlingRelayContainerRunsTheImageTheBuildNamesOnItsPublicPort() throws Exception {
        String version = KubernetesManifestsTest.projectVersion();
        for (String module : KubernetesManifestsTest.IMAGES) {
            JsonNode service = SERVICES.get(module);
            String port = imagePort(module);

            assertThat(service.get("image").asString()).isEqualTo(KubernetesManifestsTest.imageName(module, version));
            assertThat(service.at("/environment/SERVER_PORT").asString()).as(module).isEqualTo(port);
            assertThat(strings(service.get("ports"))).as(module).contains(port + ":" + port);
            assertThat(service.at("/environment/MANAGEMENT_SERVER_PORT").asString()).as(module).isEqualTo("8081");
        }
    }

    @Test
    void healthchecksAskForReadinessOnTheManagementPort() {
        for (String module : KubernetesManifestsTest.DEPLOYED) {
            List<String> test = strings(SERVICES.get(module).at("/healthcheck/test"));

            assertThat(test).as(module).contains("io.klingrelay.common.health.HealthCheck",
                    "http://localhost:" + SERVICES.get(module).at("/environment/MANAGEMENT_SERVER_PORT").asString()
                            + "/actuator/health/readiness");
        }
    }

    @Test
    void everyEnvironmentVariableBindsToARealPropertyOfItsService() {
        for (String module : KubernetesManifestsTest.IMAGES) {
            ServiceProperties properties = KubernetesManifestsTest.properties(module);
            SERVICES.get(module).get("environment").propertyNames().forEach(variable ->
                    assertThat(properties.binds(variable)).as("%s: %s binds to a property", module, variable).isTrue());
        }
    }

    @Test
    void theSubmitterAndThePollerReadTheOneAccountsFileInsteadOfRepeatingTheAccounts() {
        JsonNode accounts = Kustomize.documents(COMPOSE.resolveSibling("klingrelay-accounts.yml")).getFirst()
                .at("/klingrelay/kling");
        for (String module : List.of("submitter", "poller")) {
            JsonNode service = SERVICES.get(module);
            assertThat(service.at("/environment/KLINGRELAY_ACCOUNTS_FILE").asString()).as(module)
                    .isEqualTo("/config/klingrelay-accounts.yml");
            assertThat(strings(service.get("volumes"))).as(module)
                    .contains("./klingrelay-accounts.yml:/config/klingrelay-accounts.yml:ro");
            assertThat(service.get("environment").propertyNames()).as(module)
                    .noneMatch(name -> name.startsWith("KLINGRELAY_KLING_"));
        }
        assertThat(accounts.get("base-url").asString()).isEqualTo("http://kling-emulator:8090");
        assertThat(accounts.get("accounts")).hasSize(2);
        assertThat(accounts.at("/accounts/0/secret-key").asString())
                .isEqualTo(SERVICES.at("/kling-emulator/environment/KLINGRELAY_EMULATOR_ACCOUNTS_0_SECRETKEY").asString());
    }

    @Test
    void servicesReachKafkaRedisAndTheEmulatorByTheirComposeNames() {
        for (String module : KubernetesManifestsTest.SERVICES) {
            JsonNode env = SERVICES.get(module).get("environment");
            assertThat(env.get("SPRING_KAFKA_BOOTSTRAPSERVERS").asString())
                    .isEqualTo(SERVICES.at("/kafka/environment/KAFKA_ADVERTISED_LISTENERS").asString().replace("PLAINTEXT://", ""));
            assertThat(env.get("SPRING_DATA_REDIS_URL").asString()).isEqualTo("redis://redis:6379");
            if (env.has("KLINGRELAY_KLING_BASEURL")) {
                assertThat(env.get("KLINGRELAY_KLING_BASEURL").asString()).isEqualTo("http://kling-emulator:8090");
            }
        }
    }

    @Test
    void theStatusServicePresignsForTheHostsBrowserAndReadsTheSameKafka() {
        JsonNode env = SERVICES.at("/status/environment");

        assertThat(env.get("SPRING_KAFKA_BOOTSTRAPSERVERS").asString())
                .isEqualTo(SERVICES.at("/submitter/environment/SPRING_KAFKA_BOOTSTRAPSERVERS").asString());
        assertThat(env.get("KLINGRELAY_STATUS_ADVERTISEDHOST").asString()).isEqualTo("status");
        // MinIO's published port, as a browser on the host opens it (not the compose name "minio")
        assertThat(env.get("KLINGRELAY_STATUS_S3_ENDPOINT").asString()).isEqualTo("http://localhost:9000");
        assertThat(strings(SERVICES.at("/minio/ports"))).contains("9000:9000");
        assertThat(env.get("KLINGRELAY_STATUS_S3_ACCESSKEY").asString())
                .isEqualTo(SERVICES.at("/minio/environment/MINIO_ROOT_USER").asString());
    }

    @Test
    void theDemoJobProducesTheSampleCampaignKeyedByAccountOnTheRequestsTopic() {
        JsonNode job = SERVICES.get("demo-campaign");
        String mount = strings(job.get("volumes")).getFirst();

        assertThat(COMPOSE.getParent().resolve(mount.split(":")[0]).normalize()).exists();
        assertThat(String.join(" ", strings(job.get("command")))).contains("--topic " + Topics.REQUESTS)
                .contains("parse.key=true");
        assertThat(job.get("restart").asString()).isEqualTo("no");
    }

    private static String imagePort(String module) throws Exception {
        Matcher port = IMAGE_PORT.matcher(Files.readString(KubernetesManifestsTest.ROOT.resolve(module).resolve("pom.xml")));
        assertThat(port.find()).as(module + " sets klingrelay.image.port").isTrue();
        return port.group(1);
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asString()));
        return values;
    }
}
