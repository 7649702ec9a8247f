package io.klingrelay.status.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the status service ({@code klingrelay.status.*}). Kafka Streams itself is set
 * with Boot's {@code spring.kafka.streams.*} keys (application id, state dir, properties).
 *
 * @param advertisedHost   the host other instances reach this one on; with the HTTP port it
 *                         becomes Kafka Streams' {@code application.server}
 * @param advertisedPort   the port other instances reach this one on; {@code server.port} when unset
 * @param presignExpiry    how long a presigned URL signed here works (1 s – 7 days)
 * @param forwardTimeout   connect and read timeout of a query forwarded to the owning instance
 * @param eventsInterval   how often a Server-Sent Events stream checks for a change (at most one
 *                         event per interval: 500 ms is at most 2 per second)
 * @param eventsTimeout    how long one Server-Sent Events stream stays open before the browser reconnects
 * @param pageSize         requests per page on the campaign page (1–1000)
 * @param s3               the object store, for presigned URLs; presigning is off when its endpoint is empty
 */
@Validated
@ConfigurationProperties("klingrelay.status")
public record StatusProperties(
        @NotBlank @DefaultValue("127.0.0.1") String advertisedHost,
        @Nullable @Min(1) @Max(65535) Integer advertisedPort,
        @NotNull @DefaultValue("1h") Duration presignExpiry,
        @NotNull @DefaultValue("5s") Duration forwardTimeout,
        @NotNull @DefaultValue("500ms") Duration eventsInterval,
        @NotNull @DefaultValue("30m") Duration eventsTimeout,
        @Min(1) @Max(1000) @DefaultValue("100") int pageSize,
        @Valid @NotNull @DefaultValue S3 s3) {

    private static final String PREFIX = "klingrelay.status.";

    public StatusProperties {
        if (presignExpiry != null && (presignExpiry.toSeconds() < 1 || presignExpiry.compareTo(Duration.ofDays(7)) > 0)) {
            throw new IllegalArgumentException(PREFIX + "presign-expiry must be between 1s and 7d (the S3 limit), got "
                    + presignExpiry);
        }
        if (eventsInterval != null && eventsInterval.toMillis() < 100) {
            throw new IllegalArgumentException(PREFIX + "events-interval must be at least 100ms, got " + eventsInterval);
        }
    }

    /**
     * The S3-compatible object store the archiver writes to (same keys as {@code klingrelay.archiver.s3}).
     *
     * @param endpoint  e.g. {@code http://127.0.0.1:9000}; empty turns presigning off
     * @param accessKey the access key
     * @param secretKey the secret key; never logged
     * @param region    the region used for signing (fixed, so presigning needs no call to the store)
     */
    public record S3(
            @DefaultValue("") String endpoint,
            @DefaultValue("") String accessKey,
            @DefaultValue("") String secretKey,
            @NotBlank @DefaultValue("us-east-1") String region) {

        /** @return whether an endpoint is configured */
        public boolean isConfigured() {
            return endpoint != null && !endpoint.isBlank();
        }

        /** Keeps the secret key out of logs. */
        @Override
        public String toString() {
            return "S3[endpoint=" + endpoint + ", accessKey=" + accessKey + ", secretKey=***, region=" + region + "]";
        }
    }
}
