package io.klingrelay.campaign.command;

import io.klingrelay.campaign.input.AccountCatalog;
import io.klingrelay.campaign.remote.Connection;
import io.klingrelay.common.json.EventJson;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Where the deployment is (a picocli mixin of every subcommand). Each option falls back to
 * {@code endpoints.json} of {@code ./klingrelay up} ({@code --endpoints}, default
 * {@code ${klingrelay.home}/up-data/endpoints.json} or {@code ./up-data/endpoints.json}); the admin
 * token also comes from the environment variable {@value #TOKEN_ENV}, which keeps it off the command line.
 */
public final class ConnectionOptions {

    /** The environment variable with the submitter's admin token. */
    public static final String TOKEN_ENV = "KLINGRELAY_ADMIN_TOKEN";

    @Option(names = "--endpoints", paramLabel = "FILE",
            description = "endpoints.json of ./klingrelay up (default: up-data/endpoints.json)")
    @Nullable Path endpoints;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]", description = "Kafka bootstrap servers")
    @Nullable String bootstrapServers;

    @Option(names = "--kafka-properties", paramLabel = "FILE",
            description = "Kafka client properties (security.protocol, ssl.*, sasl.*), e.g. for TLS/SASL")
    @Nullable Path kafkaProperties;

    @Option(names = "--status-url", paramLabel = "URL", description = "the status service, e.g. http://status:8080")
    @Nullable String statusUrl;

    @Option(names = "--submitter-url", paramLabel = "URL", description = "a submitter (its /admin API)")
    @Nullable String submitterUrl;

    @Option(names = "--admin-token", paramLabel = "TOKEN",
            description = "the submitter's admin token (better: the environment variable " + TOKEN_ENV + ")")
    @Nullable String adminToken;

    @Option(names = "--accounts", paramLabel = "ID[:LIMIT],...",
            description = "the deployment's Kling account ids and concurrency limits, for validation")
    @Nullable String accounts;

    /**
     * @return the connection: options first, then the environment, then endpoints.json
     * @throws IllegalStateException when a given file cannot be read
     */
    public Connection resolve() {
        Map<String, String> file = endpointsFile();
        return new Connection(first(bootstrapServers, file.get("bootstrapServers")), kafkaClientProperties(),
                first(statusUrl, file.get("statusUrl")), first(submitterUrl, file.get("submitterUrl")),
                first(first(adminToken, System.getenv(TOKEN_ENV)), file.get("submitterAdminToken")),
                accounts != null ? AccountCatalog.parse(accounts) : accountsFromFile());
    }

    private static @Nullable String first(@Nullable String a, @Nullable String b) {
        return a != null && !a.isBlank() ? a : b != null && !b.isBlank() ? b : null;
    }

    private Path endpointsPath() {
        if (endpoints != null) {
            return endpoints;
        }
        String home = System.getProperty("klingrelay.home");
        return home == null ? Path.of("up-data", "endpoints.json") : Path.of(home, "up-data", "endpoints.json");
    }

    private @Nullable JsonNode endpointsTree() {
        Path path = endpointsPath();
        if (!Files.isRegularFile(path)) {
            if (endpoints != null) {
                throw new IllegalStateException("--endpoints " + endpoints + ": no such file");
            }
            return null;
        }
        try {
            return EventJson.mapper().readTree(Files.readString(path));
        } catch (IOException | JacksonException e) {
            throw new IllegalStateException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private Map<String, String> endpointsFile() {
        JsonNode tree = endpointsTree();
        Map<String, String> values = new LinkedHashMap<>();
        if (tree != null) {
            tree.properties().forEach(entry -> {
                if (entry.getValue().isString()) {
                    values.put(entry.getKey(), entry.getValue().asString());
                }
            });
        }
        return values;
    }

    private AccountCatalog accountsFromFile() {
        JsonNode tree = endpointsTree();
        if (tree == null || !tree.path("accounts").isArray()) {
            return AccountCatalog.unknown();
        }
        Map<String, Integer> limits = new LinkedHashMap<>();
        tree.path("accounts").forEach(account -> limits.put(account.path("id").asString(),
                account.path("concurrencyLimit").asInt(5)));
        return new AccountCatalog(limits);
    }

    private Properties kafkaClientProperties() {
        Properties properties = new Properties();
        if (kafkaProperties != null) {
            try (Reader reader = Files.newBufferedReader(kafkaProperties, StandardCharsets.UTF_8)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new IllegalStateException("--kafka-properties " + kafkaProperties + ": " + e.getMessage(), e);
            }
        }
        return properties;
    }
}
