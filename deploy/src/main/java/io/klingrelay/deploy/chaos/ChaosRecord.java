package io.klingrelay.deploy.chaos;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One record the chaos campaign publishes on {@code klingrelay.requests}.
 *
 * @param key       the record key (the account id), or null
 * @param value     the record value (UTF-8 JSON for a valid request; anything for a hostile one), or null (a tombstone)
 * @param requestId the request id the pipeline will report it under when the value parses with a non-blank id,
 *                  else null (then the {@code klingrelay.requests-<partition>@<offset>} locator is used)
 * @param accountId the account, for a valid request
 * @param kind      {@code valid}, or what makes it hostile (e.g. {@code deep-json}, {@code id-700kb})
 */
public record ChaosRecord(@Nullable String key, byte @Nullable [] value, @Nullable String requestId,
        @Nullable String accountId, String kind) {

    /** The kind of every valid request. */
    public static final String VALID = "valid";

    public ChaosRecord {
        Objects.requireNonNull(kind, "kind");
    }

    /** @return whether this is one of the campaign's valid requests (it must be archived or fail at generation) */
    public boolean valid() {
        return VALID.equals(kind);
    }

    /** @return the value's size in bytes (0 for a tombstone) */
    public int size() {
        return value == null ? 0 : value.length;
    }

    @Override
    public String toString() {
        String id = requestId == null ? "-" : requestId.length() > 40 ? requestId.substring(0, 40) + "…" : requestId;
        return "ChaosRecord[" + kind + ", id=" + id + ", " + size() + " B]";
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof ChaosRecord that && Objects.equals(key, that.key)
                && java.util.Arrays.equals(value, that.value) && Objects.equals(requestId, that.requestId)
                && Objects.equals(accountId, that.accountId) && kind.equals(that.kind);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, java.util.Arrays.hashCode(value), requestId, accountId, kind);
    }
}
