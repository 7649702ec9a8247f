package io.klingrelay.campaign.remote;

import io.klingrelay.campaign.input.AccountCatalog;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * Where the deployment is: from the command line, else from {@code endpoints.json} of
 * {@code ./klingrelay up}. Secrets (the admin token, SASL passwords in the Kafka properties) are
 * never printed; {@link #toString()} leaves them out.
 *
 * @param bootstrapServers Kafka {@code bootstrap.servers}, or null when unknown
 * @param kafkaProperties  extra Kafka client properties (TLS/SASL), possibly empty
 * @param statusUrl        the status service's base URL, or null when unknown
 * @param submitterUrl     a submitter's base URL (its {@code /admin} API), or null when unknown
 * @param adminToken       the submitter's admin token, or null when its admin API is open
 * @param accounts         the deployment's Kling accounts (ids and limits), for validation
 */
public record Connection(@Nullable String bootstrapServers, Properties kafkaProperties, @Nullable String statusUrl,
        @Nullable String submitterUrl, @Nullable String adminToken, AccountCatalog accounts) {

    private static final String HINT = " (pass it, or start a local stack with ./klingrelay up, whose endpoints.json is the default)";

    /** @return Kafka's bootstrap servers */
    public String requireBootstrapServers() {
        if (bootstrapServers == null) {
            throw new IllegalStateException("no Kafka: --bootstrap-servers is not set" + HINT);
        }
        return bootstrapServers;
    }

    /** @return the status service client */
    public StatusClient requireStatus() {
        if (statusUrl == null) {
            throw new IllegalStateException("no status service: --status-url is not set" + HINT);
        }
        return new StatusClient(statusUrl);
    }

    /** @return the status service client, or null when no URL is configured */
    public @Nullable StatusClient status() {
        return statusUrl == null ? null : new StatusClient(statusUrl);
    }

    /** @return the submitter's admin API */
    public SubmitterAdmin requireSubmitter() {
        if (submitterUrl == null) {
            throw new IllegalStateException("no submitter: --submitter-url is not set" + HINT);
        }
        return new SubmitterAdmin(submitterUrl, adminToken);
    }

    /** Without secrets. */
    @Override
    public String toString() {
        return "Connection[kafka=" + bootstrapServers + ", status=" + statusUrl + ", submitter=" + submitterUrl
                + ", adminToken=" + (adminToken == null ? "none" : "***") + ", kafkaProperties="
                + kafkaProperties.stringPropertyNames() + "]";
    }
}
