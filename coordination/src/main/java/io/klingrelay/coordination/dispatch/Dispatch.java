package io.klingrelay.coordination.dispatch;

import java.util.Objects;

/**
 * The handle of one dispatch of a request: who it is for and the fencing token
 * {@link RequestQueue#take} handed it. Every write a dispatch makes ({@link Dispatches}) carries
 * the token; once the dispatch lost its lease and another dispatch took the request over, the
 * token is stale and those writes are refused (ARCHITECTURE.md "A paid generation is never
 * submitted twice").
 *
 * @param accountId the account
 * @param requestId the request id
 * @param fence     the request's dispatch counter at the time it was taken (1 for the first dispatch)
 */
public record Dispatch(String accountId, String requestId, long fence) {

    public Dispatch {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(requestId, "requestId");
        if (fence < 1) {
            throw new IllegalArgumentException("fence must be >= 1, got " + fence);
        }
    }
}
