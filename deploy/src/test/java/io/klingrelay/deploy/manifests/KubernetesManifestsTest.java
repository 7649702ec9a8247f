package io.klingrelay.deploy.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Renders each Kustomize overlay in the test JVM ({@link Kustomize}), parses every resource with the
 * fabric8 Kubernetes model, and checks it against what the build and the services really provide:
 * image names from the parent pom's Jib configuration, probe paths and ports, the management port,
 * graceful shutdown, Secrets for keys, and that every environment variable binds to a property of
 * the service (its jar's configuration metadata and its application.yml).
 */
class KubernetesManifestsTest {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Set<String> SERVICES = Set.of("submitter", "webhook-receiver", "poller", "archiver");
    /** The read model beside the pipeline: no Redis, Kafka Streams state on the pod. */
    static final String STATUS = "status";
    /** What every overlay deploys: the pipeline services and the status service. */
    static final Set<String> DEPLOYED = Set.of("submitter", "webhook-receiver", "poller", "archiver", STATUS);
    static final Set<String> IMAGES = Set.of("submitter", "webhook-receiver", "poller", "archiver", STATUS,
            "kling-emulator");
    private static final Path KUBERNETES = ROOT.resolve("deploy/kubernetes");
    private static final Map<String, ServiceProperties> PROPERTIES = new HashMap<>();
    private static final Set<String> SECRET_VARIABLES = Set.of("ACCESSKEY", "SECRETKEY", "SECRET", "PASSWORD");

    @ParameterizedTest
    @ValueSource(strings = {"staging", "production"})
    void everyResourceParsesAsAKnownKind(String overlay) {
        List<HasMetadata> resources = render(overlay);

        assertThat(resources).isNotEmpty().allSatisfy(resource -> {
            assertThat(resource.getMetadata().getName()).isNotBlank();
            assertThat(resource.getMetadata().getNamespace()).startsWith("klingrelay");
        });
        assertThat(resources).filteredOn(GenericKubernetesResource.class::isInstance)
                .extracting(HasMetadata::getKind).containsOnly("ServiceMonitor");
    }

    @ParameterizedTest
    @ValueSource(strings = {"staging", "production"})
    void everyServiceRunsMoreThanOneReplicaOfTheImageTheBuildNames(String overlay) {
        List<Deployment> deployments = of(render(overlay), Deployment.class);
        String version = projectVersion();

        assertThat(deployments).extracting(d -> d.getMetadata().getName()).containsAll(DEPLOYED);
        assertThat(deployments).allSatisfy(deployment -> {
            String name = deployment.getMetadata().getName();
            assertThat(deployment.getSpec().getReplicas()).as(name).isGreaterThan(1);
            assertThat(IMAGES).contains(name);
            assertThat(container(deployment).getImage()).as(name)
                    .matches("([a-z0-9.:-]+(/[a-z0-9-]+)*/)?" + Pattern.quote(imageName(name, version)));
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"staging", "production"})
    void probesHitTheHealthGroupsOnTheManagementPortApartFromThePublicOne(String overlay) {
        for (Deployment deployment : of(render(overlay), Deployment.class)) {
            Container container = container(deployment);
            String name = deployment.getMetadata().getName();
            Map<String, String> env = literalEnv(container);
            int management = Integer.parseInt(env.get("MANAGEMENT_SERVER_PORT"));

            assertProbe(name, container.getLivenessProbe(), "/actuator/health/liveness", container, management);
            assertProbe(name, container.getReadinessProbe(), "/actuator/health/readiness", container, management);
            assertThat(Integer.parseInt(env.get("SERVER_PORT"))).as(name).isNotEqualTo(management)
                    .isEqualTo(containerPort(container, "http"));
            assertThat(applicationYaml(name).at("/management/endpoint/health/probes/enabled").asBoolean())
                    .as(name + " management.endpoint.health.probes.enabled").isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"staging", "production"})
    void readinessOfEveryServiceIncludesRedisAndKafka(String overlay) {
        for (Deployment deployment : of(render(overlay), Deployment.class)) {
            String name = deployment.getMetadata().getName();
            if (SERVICES.contains(name)) {
                String include = applicationYaml(name).at("/management/endpoint/health/group/readiness/include").asString();
                assertThat(include.split(",")).as(name).contains("readinessState", "redis", "kafka");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"staging", "production"})
    void podsOutliveAGracefulShutdownLongerThanAnInFlightCreate(String overlay) {
        Duration inFlightCreate = Duration.ofSeconds(5 + 30); // klingrelay.kling connect + request timeout
        for (Deployment deployment : of(render(overlay), Deployment.class)) {
            String name = deployment.getMetadata().getName();
            JsonNode yaml = applicationYaml(name);
            Duration phase = Duration.ofSeconds(Long.parseLong(
                    yaml.at("/spring/lifecycle/timeout-per-shutdown-phase").asString().replace("s", "")));
            Container container = container(deployment);
            long preStop = container.getLifecycle() == null ? 0
                    : container.getLifecycle().getPreStop().getSleep().getSeconds();

            assertThat(yaml.at("/server/shutdown").asString()).as(name).isEqualTo("graceful");
            assertThat(phase).as(name).isGreaterThan(inFlightCreate);
            assertThat(deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
                    .as(name).isGreaterThan(preStop + phase.toSeconds());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"staging", "production"})
    void everyContainerHasResourcesAndRunsAsNonRoot(String overlay) {
        for (Deployment deployment : of(render(overlay), Deployment.class)) {
            Container container = container(deployment);
            assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
            assertThat(container.getResources().getLimits()).containsKey("memory");
            assertThat(deployment.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"staging", "production"})
    void everyEnvironmentVariableBindsToARealPropertyOfItsService(String overlay) {
        for (Deployment deployment : of(render(overlay), Deployment.class)) {
            String name = deployment.getMetadata().getName();
            ServiceProperties properties = properties(name);
            assertThat(container(deployment).getEnv()).extracting(EnvVar::getName)
                    .as(name).allSatisfy(variable -> assertThat(properties.binds(variable))
                            .as("%s: %s binds to a property", name, variable).isTrue());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"staging", "production"})
    void keysAndTheCallbackSecretComeFromTheSecretAndEndpointsFromTheConfigMap(String overlay) {
        List<HasMetadata> resources = render(overlay);
        Map<String, String> config = of(resources, ConfigMap.class).getFirst().getData();
        for (Deployment deployment : of(resources, Deployment.class)) {
            for (EnvVar variable : container(deployment).getEnv()) {
                if (isSecret(variable.getName())) {
                    assertThat(variable.getValue()).as(variable.getName() + " is no literal").isNull();
                    assertThat(variable.getValueFrom().getSecretKeyRef()).as(variable.getName() + " from the Secret").isNotNull();
                }
                if (variable.getValueFrom() == null || isPodIp(deployment, variable)) {
                    continue;
                }
                if (variable.getValueFrom().getSecretKeyRef() != null) {
                    assertThat(variable.getValueFrom().getSecretKeyRef().getName()).isEqualTo("klingrelay-secrets");
                    secretKeyIsProvided(overlay, resources, variable.getValueFrom().getSecretKeyRef().getKey());
                } else {
                    assertThat(variable.getValueFrom().getConfigMapKeyRef()).as(variable.getName()).isNotNull();
                    assertThat(config).as(variable.getName())
                            .containsKey(variable.getValueFrom().getConfigMapKeyRef().getKey());
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"staging", "production"})
    void theWebhookReceiverIsReachedThroughItsServiceAndIngressOnThePublicPort(String overlay) {
        List<HasMetadata> resources = render(overlay);
        Deployment receiver = named(of(resources, Deployment.class), "webhook-receiver");
        Service service = named(of(resources, Service.class), "webhook-receiver");
        IngressBackend backend = of(resources, Ingress.class).getFirst()
                .getSpec().getRules().getFirst().getHttp().getPaths().getFirst().getBackend();

        assertThat(service.getSpec().getSelector())
                .isEqualTo(receiver.getSpec().getTemplate().getMetadata().getLabels()
                        .entrySet().stream().filter(e -> e.getKey().equals("app.kubernetes.io/name"))
                        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        assertThat(backend.getService().getName()).isEqualTo("webhook-receiver");
        ServicePort port = service.getSpec().getPorts().stream()
                .filter(p -> p.getName().equals(backend.getService().getPort().getName())).findFirst().orElseThrow();
        assertThat(containerPort(container(receiver), port.getTargetPort().getStrVal()))
                .isEqualTo(Integer.parseInt(literalEnv(container(receiver)).get("SERVER_PORT")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"staging", "production"})
    void everyDeploymentHasADisruptionBudgetAndTheServiceMonitorScrapesTheManagementPort(String overlay) {
        List<HasMetadata> resources = render(overlay);
        List<PodDisruptionBudget> budgets = of(resources, PodDisruptionBudget.class);
        for (Deployment deployment : of(resources, Deployment.class)) {
            Map<String, String> labels = deployment.getSpec().getTemplate().getMetadata().getLabels();
            assertThat(budgets).as(deployment.getMetadata().getName()).anySatisfy(budget ->
                    assertThat(labels).containsAllEntriesOf(budget.getSpec().getSelector().getMatchLabels()));
        }
        GenericKubernetesResource monitor = of(resources, GenericKubernetesResource.class).getFirst();
        assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
        Map<String, Object> endpoint = monitor.<List<Map<String, Object>>>get("spec", "endpoints").getFirst();
        assertThat(endpoint).containsEntry("port", "management").containsEntry("path", "/actuator/prometheus");
        Map<String, String> selector = monitor.get("spec", "selector", "matchLabels");
        List<Service> scraped = of(resources, Service.class).stream()
                .filter(s -> s.getMetadata().getLabels().entrySet().containsAll(selector.entrySet())).toList();
        assertThat(scraped).extracting(s -> s.getMetadata().getName()).containsAll(DEPLOYED);
        assertThat(scraped).allSatisfy(s -> assertThat(s.getSpec().getPorts()).extracting(ServicePort::getName)
                .contains("management"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"staging", "production"})
    void theSubmitterAndThePollerMountTheOneAccountsFileAndRepeatNoAccount(String overlay) {
        List<HasMetadata> resources = render(overlay);
        for (String name : List.of("submitter", "poller")) {
            Deployment deployment = named(of(resources, Deployment.class), name);
            Container container = container(deployment);
            assertThat(literalEnv(container)).as(name).containsEntry("KLINGRELAY_ACCOUNTS_FILE",
                    "/config/klingrelay-accounts.yml");
            assertThat(container.getEnv()).as(name).noneMatch(v -> v.getName().startsWith("KLINGRELAY_KLING_ACCOUNTS_"));
            assertThat(container.getVolumeMounts()).as(name).anySatisfy(mount -> {
                assertThat(mount.getMountPath()).isEqualTo("/config");
                assertThat(mount.getReadOnly()).isTrue();
            });
            assertThat(deployment.getSpec().getTemplate().getSpec().getVolumes()).as(name)
                    .filteredOn(volume -> volume.getSecret() != null)
                    .extracting(volume -> volume.getSecret().getSecretName()).contains("klingrelay-accounts");
        }
        if (overlay.equals("staging")) {
            assertThat(named(of(resources, Secret.class), "klingrelay-accounts").getStringData())
                    .containsKey("klingrelay-accounts.yml");
        } else {
            assertThat(readString(KUBERNETES.resolve("overlays/production/kustomization.yaml")))
                    .contains("create secret generic klingrelay-accounts --from-file=klingrelay-accounts.yml");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"staging", "production"})
    void statusReplicasForwardQueriesToEachOtherAndKeepTheirStoresOnAWritableVolume(String overlay) {
        List<HasMetadata> resources = render(overlay);
        Deployment status = named(of(resources, Deployment.class), STATUS);
        Container container = container(status);
        Map<String, String> config = of(resources, ConfigMap.class).getFirst().getData();
        JsonNode yaml = applicationYaml(STATUS);

        assertThat(status.getSpec().getReplicas()).isGreaterThan(1);
        assertThat(yaml.at("/spring/kafka/streams/application-id").asString()).as("one application id for all replicas")
                .isNotBlank();
        assertThat(yaml.at("/management/endpoint/health/group/readiness/include").asString().split(","))
                .as("ready only once the stores are restored").contains("streams");
        // a relative state dir lies under the image's working directory, /tmp: the pod's emptyDir
        assertThat(yaml.at("/spring/kafka/streams/state-dir").asString()).doesNotStartWith("/");
        assertThat(container.getVolumeMounts()).anySatisfy(mount -> assertThat(mount.getMountPath()).isEqualTo("/tmp"));
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(named(of(resources, Service.class), STATUS).getSpec().getPorts()).extracting(ServicePort::getName)
                .contains("http", "management");
        assertThat(config.get("s3-public-endpoint")).as("presigned URLs must work in a browser").startsWith("https://");
        assertThat(container.getEnv()).filteredOn(v -> v.getName().startsWith("KLINGRELAY_STATUS_S3_")
                && v.getValueFrom().getSecretKeyRef() != null)
                .extracting(v -> v.getValueFrom().getSecretKeyRef().getKey())
                .containsExactlyInAnyOrder("status-s3-access-key", "status-s3-secret-key");
    }

    @ParameterizedTest
    @ValueSource(strings = {"production"})
    void productionRunsRealKlingWithoutTheEmulatorOrACommittedSecret(String overlay) {
        List<HasMetadata> resources = render(overlay);

        assertThat(of(resources, Deployment.class)).extracting(d -> d.getMetadata().getName())
                .containsExactlyInAnyOrderElementsOf(DEPLOYED);
        assertThat(of(resources, Secret.class)).isEmpty();
        assertThat(of(resources, ConfigMap.class).getFirst().getData().get("kling-base-url")).startsWith("https://");
    }

    private static void assertProbe(String name, Probe probe, String path, Container container, int management) {
        assertThat(probe).as(name + " " + path).isNotNull();
        HTTPGetAction get = probe.getHttpGet();
        assertThat(get.getPath()).as(name).isEqualTo(path);
        int port = get.getPort().getStrVal() != null ? containerPort(container, get.getPort().getStrVal())
                : get.getPort().getIntVal();
        assertThat(port).as(name + " probe port = MANAGEMENT_SERVER_PORT").isEqualTo(management);
    }

    private static void secretKeyIsProvided(String overlay, List<HasMetadata> resources, String key) {
        List<Secret> secrets = of(resources, Secret.class);
        if (overlay.equals("production")) {
            assertThat(Kustomize.documents(KUBERNETES.resolve("overlays/production/kustomization.yaml")))
                    .isNotEmpty();
            assertThat(readString(KUBERNETES.resolve("overlays/production/kustomization.yaml")))
                    .as("production documents how to create key " + key).contains("--from-literal=" + key + "=");
            return;
        }
        assertThat(secrets).anySatisfy(secret -> assertThat(secret.getStringData()).containsKey(key));
    }

    /** The status service advertises its pod IP to the other replicas; no other variable comes from the pod. */
    private static boolean isPodIp(Deployment deployment, EnvVar variable) {
        if (variable.getValueFrom().getFieldRef() == null) {
            return false;
        }
        assertThat(deployment.getMetadata().getName() + " " + variable.getName())
                .isEqualTo(STATUS + " KLINGRELAY_STATUS_ADVERTISEDHOST");
        assertThat(variable.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("status.podIP");
        return true;
    }

    private static boolean isSecret(String variable) {
        return SECRET_VARIABLES.stream().anyMatch(variable::endsWith);
    }

    static List<HasMetadata> render(String overlay) {
        return Kustomize.render(KUBERNETES.resolve("overlays").resolve(overlay));
    }

    static <T> List<T> of(List<HasMetadata> resources, Class<T> type) {
        return resources.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static <T extends HasMetadata> T named(List<T> resources, String name) {
        return resources.stream().filter(r -> r.getMetadata().getName().equals(name)).findFirst().orElseThrow();
    }

    private static Container container(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().getFirst();
    }

    private static int containerPort(Container container, String name) {
        return container.getPorts().stream().filter(p -> name.equals(p.getName()))
                .map(ContainerPort::getContainerPort).findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + " has no container port named " + name));
    }

    private static Map<String, String> literalEnv(Container container) {
        Map<String, String> env = new HashMap<>();
        container.getEnv().stream().filter(v -> v.getValue() != null).forEach(v -> env.put(v.getName(), v.getValue()));
        return env;
    }

    static JsonNode applicationYaml(String module) {
        // later documents override earlier ones; the probes/shutdown block is a document of its own
        List<JsonNode> documents = Kustomize.documents(ROOT.resolve(module).resolve("src/main/resources/application.yml"));
        JsonNode merged = documents.getFirst().deepCopy();
        documents.stream().skip(1).forEach(document -> merge((tools.jackson.databind.node.ObjectNode) merged, document));
        return merged;
    }

    private static void merge(tools.jackson.databind.node.ObjectNode target, JsonNode source) {
        source.properties().forEach(field -> {
            JsonNode existing = target.get(field.getKey());
            if (existing != null && existing.isObject() && field.getValue().isObject()) {
                merge((tools.jackson.databind.node.ObjectNode) existing, field.getValue());
            } else {
                target.set(field.getKey(), field.getValue());
            }
        });
    }

    static ServiceProperties properties(String module) {
        return PROPERTIES.computeIfAbsent(module, name -> {
            Path jar = ServiceProperties.execJar(ROOT.resolve(name));
            assertThat(jar).as("%s's exec jar (build it first: ./mvnw -DskipTests package)", name).isNotNull();
            ServiceProperties properties = ServiceProperties.of(jar,
                    ROOT.resolve(name).resolve("src/main/resources/application.yml"),
                    ROOT.resolve("deploy/target/service-properties").resolve(name));
            assertThat(properties.size()).as(name + " configuration metadata").isGreaterThan(100);
            return properties;
        });
    }

    /** @return {@code klingrelay/<module>:<version>}, from the Jib image the parent pom configures */
    static String imageName(String module, String version) {
        String pom = readString(ROOT.resolve("pom.xml"));
        assertThat(pom).contains("<image>${klingrelay.image.registry}klingrelay/${project.artifactId}:${project.version}</image>");
        return "klingrelay/" + module + ":" + version;
    }

    static String projectVersion() {
        Matcher version = Pattern.compile("<artifactId>klingrelay-parent</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(readString(ROOT.resolve("pom.xml")));
        assertThat(version.find()).isTrue();
        return version.group(1);
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
