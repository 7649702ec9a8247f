package io.klingrelay.submitter.dispatch;

import io.klingrelay.klingclient.callback.CallbackTokens;
import io.klingrelay.klingclient.config.CallbackProperties;
import java.net.URI;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Builds each task's {@code callback_url}, or none when {@code klingrelay.callback.base-url} is
 * unset (the poller then observes every task end). Never log the URLs: they are credentials.
 */
public final class CallbackUrls {

    private final @Nullable URI baseUrl;
    private final @Nullable CallbackTokens tokens;

    /**
     * @param callback callback settings
     * @throws IllegalArgumentException when a base URL is set without a usable secret
     */
    public CallbackUrls(CallbackProperties callback) {
        this.baseUrl = callback.baseUrl();
        if (baseUrl == null) {
            this.tokens = null;
        } else if (callback.secret() == null || callback.secret().isBlank()) {
            throw new IllegalArgumentException(
                    "klingrelay.callback.secret is required when klingrelay.callback.base-url is set");
        } else {
            this.tokens = new CallbackTokens(callback.secret());
        }
    }

    /**
     * @param accountId the account
     * @param requestId the request
     * @return the callback URL for the task, or empty when callbacks are off
     */
    public Optional<URI> forRequest(String accountId, String requestId) {
        if (baseUrl == null || tokens == null) {
            return Optional.empty();
        }
        return Optional.of(tokens.callbackUrl(baseUrl, accountId, requestId));
    }

    @Override
    public String toString() {
        return "CallbackUrls[baseUrl=" + baseUrl + "]";
    }
}
