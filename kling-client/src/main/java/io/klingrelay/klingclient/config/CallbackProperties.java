package io.klingrelay.klingclient.config;

import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Callback settings shared by the submitter (which builds each task's {@code callback_url}) and
 * the webhook receiver (which checks it): {@code klingrelay.callback.*}.
 *
 * @param baseUrl          public base URL of the webhook receiver, e.g. {@code https://hooks.example.org};
 *                         when absent no {@code callback_url} is sent and the poller alone
 *                         observes task ends
 * @param secret           HMAC-SHA256 key of the per-task callback token (at least 32 characters;
 *                         from {@code KLINGRELAY_CALLBACK_SECRET}); required by the webhook
 *                         receiver, and by the submitter when {@code baseUrl} is set
 * @param webhookSecret    optional Standard Webhooks secret ({@code whsec_…}) configured in the Kling
 *                         console; when set, callbacks must carry a valid {@code webhook-signature}
 * @param signatureTolerance maximum |now − webhook-timestamp| accepted (kling-api.md §11.3: 5 min)
 */
@Validated
@ConfigurationProperties("klingrelay.callback")
public record CallbackProperties(
        @Nullable URI baseUrl,
        @Nullable String secret,
        @Nullable String webhookSecret,
        @NotNull @DefaultValue("5m") Duration signatureTolerance) {

    /** Minimum callback secret length in characters. */
    public static final int MIN_SECRET_LENGTH = 32;

    public CallbackProperties {
        if (secret != null && !secret.isEmpty() && secret.length() < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException("klingrelay.callback.secret must be at least " + MIN_SECRET_LENGTH
                    + " characters");
        }
        if (baseUrl != null && baseUrl.toString().isBlank()) {
            baseUrl = null;
        }
    }

    /** @return whether callbacks are requested from Kling */
    public boolean enabled() {
        return baseUrl != null;
    }

    /** Keeps both secrets out of logs. */
    @Override
    public String toString() {
        return "CallbackProperties[baseUrl=" + baseUrl + ", secret=****, webhookSecret="
                + (webhookSecret == null ? "none" : "****") + ", signatureTolerance=" + signatureTolerance + "]";
    }
}
