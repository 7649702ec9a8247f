package io.klingrelay.status.model;

import java.time.Instant;

/**
 * A campaign's oldest request that has not reached a terminal state.
 *
 * @param requestId the request id
 * @param accountId the account
 * @param since     when it was requested
 */
public record Waiting(String requestId, String accountId, Instant since) {
}
