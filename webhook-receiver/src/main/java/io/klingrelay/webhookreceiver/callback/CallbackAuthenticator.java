package io.klingrelay.webhookreceiver.callback;

import io.klingrelay.common.redis.RedisKeys;
import io.klingrelay.klingclient.callback.CallbackTokens;
import io.klingrelay.klingclient.callback.SignatureCheck;
import io.klingrelay.klingclient.callback.StandardWebhookVerifier;
import org.jspecify.annotations.Nullable;

/**
 * The two proofs a callback can carry (ARCHITECTURE.md "Callbacks are untrusted until proven"):
 * the per-task HMAC token in its URL, always required, and the Standard Webhooks signature,
 * required only when a webhook secret is configured (kling-api.md §11.3). Each accepts any active
 * secret during a rotation; every comparison is constant-time. Thread-safe.
 */
public final class CallbackAuthenticator {

    private final CallbackTokens tokens;
    private final @Nullable StandardWebhookVerifier verifier;

    /**
     * @param tokens   the token issuer/verifier under the active callback secrets
     * @param verifier the signature verifier under the active webhook secrets, or null when no
     *                 webhook secret is configured
     */
    public CallbackAuthenticator(CallbackTokens tokens, @Nullable StandardWebhookVerifier verifier) {
        this.tokens = tokens;
        this.verifier = verifier;
    }

    /**
     * Shape checks only, no secret involved: a path that fails them can never be one we issued.
     *
     * @param accountId the account id from the path
     * @param requestId the request id from the path
     * @param token     the token from the path
     * @return whether both ids pass {@link RedisKeys#isSafeId} and the token has the shape of ours
     */
    public static boolean isWellFormedPath(String accountId, String requestId, String token) {
        return RedisKeys.isSafeId(accountId) && RedisKeys.isSafeId(requestId) && CallbackTokens.isWellFormed(token);
    }

    /**
     * @param accountId the account id from the path
     * @param requestId the request id from the path
     * @param token     the token from the path
     * @return whether the path is well-formed and its token is the one an active secret issued for it
     */
    public boolean hasValidToken(String accountId, String requestId, String token) {
        return isWellFormedPath(accountId, requestId, token) && tokens.verify(accountId, requestId, token);
    }

    /**
     * @param request the callback
     * @return whether its ids are usable and its token is the one issued for them
     */
    public boolean hasValidToken(CallbackRequest request) {
        return hasValidToken(request.accountId(), request.requestId(), request.token());
    }

    /**
     * @param request the callback
     * @return {@link SignatureCheck#VALID} when no webhook secret is configured, else the verdict
     *         on its Standard Webhooks headers
     */
    public SignatureCheck checkSignature(CallbackRequest request) {
        return verifier == null ? SignatureCheck.VALID : verifier.check(request.webhookId(),
                request.webhookTimestamp(), request.webhookSignature(), request.body());
    }

    /**
     * @param request the callback
     * @return true when no webhook secret is configured, else whether the signature verifies
     */
    public boolean hasValidSignature(CallbackRequest request) {
        return checkSignature(request) == SignatureCheck.VALID;
    }

    /** @return whether callbacks must carry a Standard Webhooks signature (then {@code webhook-id} is authentic) */
    public boolean requiresSignature() {
        return verifier != null;
    }

    @Override
    public String toString() {
        return "CallbackAuthenticator[tokens=****, signatureRequired=" + requiresSignature() + "]";
    }
}
