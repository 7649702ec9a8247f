package io.klingrelay.webhookreceiver.callback;

import io.klingrelay.common.redis.RedisKeys;
import io.klingrelay.klingclient.callback.CallbackTokens;
import io.klingrelay.klingclient.callback.StandardWebhookVerifier;
import org.jspecify.annotations.Nullable;

/**
 * The two proofs a callback can carry (ARCHITECTURE.md "Callbacks are untrusted until proven"):
 * the per-task HMAC token in its URL, always required, and the Standard Webhooks signature,
 * required only when a webhook secret is configured (kling-api.md §11.3). Both comparisons are
 * constant-time. Thread-safe.
 */
public final class CallbackAuthenticator {

    private final CallbackTokens tokens;
    private final @Nullable StandardWebhookVerifier verifier;

    /**
     * @param tokens   the token issuer/verifier under the callback secret
     * @param verifier the signature verifier, or null when no webhook secret is configured
     */
    public CallbackAuthenticator(CallbackTokens tokens, @Nullable StandardWebhookVerifier verifier) {
        this.tokens = tokens;
        this.verifier = verifier;
    }

    /**
     * @param request the callback
     * @return whether its ids are usable and its token is the one issued for them
     */
    public boolean hasValidToken(CallbackRequest request) {
        return RedisKeys.isSafeId(request.accountId()) && RedisKeys.isSafeId(request.requestId())
                && tokens.verify(request.accountId(), request.requestId(), request.token());
    }

    /**
     * @param request the callback
     * @return true when no webhook secret is configured, else whether the signature verifies
     */
    public boolean hasValidSignature(CallbackRequest request) {
        return verifier == null || verifier.verify(request.webhookId(), request.webhookTimestamp(),
                request.webhookSignature(), request.body());
    }

    /** @return whether callbacks must carry a Standard Webhooks signature */
    public boolean requiresSignature() {
        return verifier != null;
    }

    @Override
    public String toString() {
        return "CallbackAuthenticator[tokens=****, signatureRequired=" + requiresSignature() + "]";
    }
}
