package io.klingrelay.common.event;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** Event id factory: random ids for ordinary events, name-based ids for once-per-request events. */
public final class EventIds {

    private EventIds() {
    }

    /** @return a random (version 4) UUID string */
    public static String random() {
        return UUID.randomUUID().toString();
    }

    /**
     * A deterministic (version 3, name-based) UUID for an event that happens at most once per
     * request, e.g. {@code forRequest("brand-a", id, "completed")}: a re-publication after a crash
     * between "published" and "recorded as published" carries the same id and de-duplicates
     * downstream. Request ids are unique per account only, so the account is part of the name:
     * two accounts' requests with the same id never share an event id.
     *
     * @param accountId the account, or null for a record that names none (an invalid request)
     * @param requestId the request id
     * @param kind      a short name of the once-per-request event
     * @return a UUID string that is the same for the same arguments
     */
    public static String forRequest(@Nullable String accountId, String requestId, String kind) {
        String account = accountId == null ? "" : accountId;
        return UUID.nameUUIDFromBytes((kind + ":" + account.length() + ":" + account + "/" + requestId)
                .getBytes(StandardCharsets.UTF_8)).toString();
    }
}
