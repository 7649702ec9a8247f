package io.klingrelay.status.model;

/**
 * How many of a campaign's requests failed at one stage for one reason.
 *
 * @param stage  the failure stage
 * @param reason the reason
 * @param count  the number of requests, at least 1
 */
public record FailureCount(String stage, String reason, long count) {
}
