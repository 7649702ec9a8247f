package io.klingrelay.status.model;

/**
 * Why a request failed.
 *
 * @param stage  {@code validation}, {@code submission}, {@code generation}, {@code archive} or {@code cancelled}
 * @param reason the human-readable reason from the event (never a secret)
 */
public record Failure(String stage, String reason) {
}
