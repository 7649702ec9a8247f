package io.klingrelay.webhookreceiver.callback;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One callback delivery as received: the path parts, the Standard Webhooks headers and the raw
 * body bytes (kling-api.md §11). The token is a credential: {@link #toString()} hides it.
 *
 * @param accountId        the account id from the path
 * @param requestId        the request id from the path
 * @param token            the HMAC token from the path
 * @param webhookId        the {@code webhook-id} header, when present
 * @param webhookTimestamp the {@code webhook-timestamp} header (Unix seconds), when present
 * @param webhookSignature the {@code webhook-signature} header, when present
 * @param body             the exact body bytes (empty when none was sent)
 */
public record CallbackRequest(
        String accountId,
        String requestId,
        String token,
        @Nullable String webhookId,
        @Nullable String webhookTimestamp,
        @Nullable String webhookSignature,
        byte[] body) {

    public CallbackRequest {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(token, "token");
        body = body == null ? new byte[0] : body;
    }

    /**
     * Keeps the token, the signature and the body (signed asset URLs) out of logs, and shows the
     * untrusted ids only in their {@link LogSafe sanitised} form.
     */
    @Override
    public String toString() {
        return "CallbackRequest[accountId=" + LogSafe.id(accountId) + ", requestId=" + LogSafe.id(requestId)
                + ", token=****, webhookId=" + (webhookId == null ? "none" : LogSafe.id(webhookId)) + ", bodyBytes="
                + body.length + "]";
    }
}
