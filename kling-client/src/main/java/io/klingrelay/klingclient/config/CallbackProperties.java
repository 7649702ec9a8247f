package io.klingrelay.klingclient.config;

import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * <p>Rotating a secret: move the old value to {@code previous-secrets} (or {@code webhook-secrets})
 * and put the new one in {@code secret} (or {@code webhook-secret}); restart the receiver first,
 * then the submitter; drop the old value once no task issued under it can still call back (the
 * tasks' lifetime, e.g. a day). Lists bind from YAML lists or from one comma-separated value
 * (e.g. {@code KLINGRELAY_CALLBACK_PREVIOUSSECRETS=a,b}), so a secret must not contain a comma.
 *
 * @param baseUrl          public base URL of the webhook receiver, e.g. {@code https://hooks.example.org};
 *                         when absent no {@code callback_url} is sent and the poller alone
 *                         observes task ends
 * @param secret           the current HMAC-SHA256 key of the per-task callback token (at least 32
 *                         characters; from {@code KLINGRELAY_CALLBACK_SECRET}); the submitter signs
 *                         every {@code callback_url} with it; required by the webhook receiver, and
 *                         by the submitter when {@code baseUrl} is set
 * @param previousSecrets  earlier callback secrets (each at least 32 characters) whose tokens the
 *                         webhook receiver still accepts during a rotation; never used to sign.
 *                         Optional, default none
 * @param webhookSecret    optional Standard Webhooks secret ({@code whsec_…}) configured in the Kling
 *                         console; when set (or {@code webhookSecrets} is), callbacks must carry a
 *                         valid {@code webhook-signature}
 * @param webhookSecrets   further active {@code whsec_…} secrets, for a rotation on either side: a
 *                         signature entry verifying under any of them (or {@code webhookSecret}) is
 *                         accepted (kling-api.md §11.3, §19 item 50). Optional, default none
 * @param signatureTolerance maximum |now − webhook-timestamp| accepted (kling-api.md §11.3: 5 min)
 */
@Validated
@ConfigurationProperties("klingrelay.callback")
public record CallbackProperties(
        @Nullable URI baseUrl,
        @Nullable String secret,
        @DefaultValue List<String> previousSecrets,
        @Nullable String webhookSecret,
        @DefaultValue List<String> webhookSecrets,
        @NotNull @DefaultValue("5m") Duration signatureTolerance) {

    /** Minimum callback secret length in characters. */
    public static final int MIN_SECRET_LENGTH = 32;

    public CallbackProperties {
        if (secret != null && !secret.isEmpty() && secret.length() < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException("klingrelay.callback.secret must be at least " + MIN_SECRET_LENGTH
                    + " characters");
        }
        previousSecrets = nonBlank(previousSecrets);
        for (String previous : previousSecrets) {
            if (previous.length() < MIN_SECRET_LENGTH) {
                throw new IllegalArgumentException("klingrelay.callback.previous-secrets: every entry must be at least "
                        + MIN_SECRET_LENGTH + " characters");
            }
        }
        webhookSecrets = nonBlank(webhookSecrets);
        if (baseUrl != null && baseUrl.toString().isBlank()) {
            baseUrl = null;
        }
    }

    /** Bound lists are never null, but a hand-built record may pass null. */
    private static List<String> nonBlank(@Nullable List<String> values) {
        if (values == null) {
            return List.of();
        }
        return values.stream().filter(value -> value != null && !value.isBlank()).map(String::strip).toList();
    }

    /**
     * @return every active Standard Webhooks secret, {@code webhookSecret} first (it is the one a
     *         test signer uses), then {@code webhookSecrets}; empty when signatures are off
     */
    public List<String> activeWebhookSecrets() {
        List<String> active = new ArrayList<>();
        if (webhookSecret != null && !webhookSecret.isBlank()) {
            active.add(webhookSecret.strip());
        }
        active.addAll(webhookSecrets);
        return List.copyOf(active);
    }

    /** @return whether callbacks are requested from Kling */
    public boolean enabled() {
        return baseUrl != null;
    }

    /** Keeps every secret out of logs: only counts are shown. */
    @Override
    public String toString() {
        return "CallbackProperties[baseUrl=" + baseUrl + ", secret=****, previousSecrets="
                + previousSecrets.size() + "x****, webhookSecrets="
                + activeWebhookSecrets().size() + "x****, signatureTolerance=" + signatureTolerance + "]";
    }
}
