package io.klingrelay.webhookreceiver.config;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The receiver's own settings: {@code klingrelay.webhook-receiver.*}. The callback URL secrets and
 * the optional Standard Webhooks secrets live under {@code klingrelay.callback.*}
 * ({@code CallbackProperties}, shared with the submitter).
 *
 * @param publishTimeout how long a callback waits for Kafka to acknowledge its events before it
 *                       is answered 503 (Kling, or the poller, then tries again); also bounds the
 *                       producer's {@code max.block.ms}. Positive; default 10 s.
 * @param maxBodySize    the largest callback body accepted; a larger one is answered 413 without
 *                       being buffered (a declared {@code Content-Length} over it at once, a
 *                       chunked body after reading one byte more than it). Kling's callbacks are a
 *                       few KB (kling-api.md §11.2). 1 B to {@value #MAX_BODY_SIZE_LIMIT_MB} MB;
 *                       default 64 KB (Spring's {@code KB} is 1024 bytes).
 * @param webhookIdTtl   how long the {@code webhook-id} of a signed callback that was fully handled
 *                       is remembered, so a redelivery is answered 200 without publishing again
 *                       (kling-api.md §11.3). Positive; default 24 h.
 */
@Validated
@ConfigurationProperties("klingrelay.webhook-receiver")
public record WebhookReceiverProperties(
        @NotNull @DefaultValue("10s") Duration publishTimeout,
        @NotNull @DefaultValue("64KB") DataSize maxBodySize,
        @NotNull @DefaultValue("24h") Duration webhookIdTtl) {

    /** The upper bound of {@code max-body-size}, in megabytes: a body is held in memory whole. */
    public static final int MAX_BODY_SIZE_LIMIT_MB = 16;

    public WebhookReceiverProperties {
        requirePositive(publishTimeout, "publish-timeout");
        requirePositive(webhookIdTtl, "webhook-id-ttl");
        if (maxBodySize != null && (maxBodySize.toBytes() < 1
                || maxBodySize.compareTo(DataSize.ofMegabytes(MAX_BODY_SIZE_LIMIT_MB)) > 0)) {
            throw new IllegalArgumentException("klingrelay.webhook-receiver.max-body-size must be between 1B and "
                    + MAX_BODY_SIZE_LIMIT_MB + "MB, got " + maxBodySize);
        }
    }

    private static void requirePositive(Duration value, String key) {
        if (value != null && (value.isNegative() || value.isZero())) {
            throw new IllegalArgumentException("klingrelay.webhook-receiver." + key + " must be positive, got " + value);
        }
    }
}
