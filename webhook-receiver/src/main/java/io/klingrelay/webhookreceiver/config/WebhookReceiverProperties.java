package io.klingrelay.webhookreceiver.config;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The receiver's own settings: {@code klingrelay.webhook-receiver.*}. The callback URL secret and
 * the optional Standard Webhooks secret live under {@code klingrelay.callback.*}
 * ({@code CallbackProperties}, shared with the submitter).
 *
 * @param publishTimeout how long a callback waits for Kafka to acknowledge its events before it
 *                       is answered 503 (Kling, or the poller, then tries again); also bounds the
 *                       producer's {@code max.block.ms}. Positive; default 10 s.
 */
@Validated
@ConfigurationProperties("klingrelay.webhook-receiver")
public record WebhookReceiverProperties(@NotNull @DefaultValue("10s") Duration publishTimeout) {

    public WebhookReceiverProperties {
        if (publishTimeout != null && (publishTimeout.isNegative() || publishTimeout.isZero())) {
            throw new IllegalArgumentException("klingrelay.webhook-receiver.publish-timeout must be positive, got "
                    + publishTimeout);
        }
    }
}
