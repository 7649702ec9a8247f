package io.klingrelay.klingclient.callback;

/**
 * The verdict of {@link StandardWebhookVerifier#check} on one delivery's Standard Webhooks headers
 * (kling-api.md §11.3). A receiver answers {@link #MALFORMED} with 400 and {@link #INVALID} with 401.
 */
public enum SignatureCheck {
    /** Every header is present and well-formed, the timestamp is fresh and one {@code v1} entry verifies. */
    VALID,
    /** A header is missing, the timestamp is outside the tolerance, or no entry verifies under any secret. */
    INVALID,
    /**
     * A header is present but cannot be parsed: a {@code webhook-id} that is empty, longer than
     * {@value StandardWebhookVerifier#MAX_WEBHOOK_ID_LENGTH} characters or not printable ASCII; a
     * {@code webhook-timestamp} that is not 1–{@value StandardWebhookVerifier#MAX_TIMESTAMP_DIGITS}
     * decimal digits; a {@code webhook-signature} that is not 1–{@value StandardWebhookVerifier#MAX_SIGNATURE_ENTRIES}
     * space-separated {@code <version>,<base64>} entries.
     */
    MALFORMED
}
