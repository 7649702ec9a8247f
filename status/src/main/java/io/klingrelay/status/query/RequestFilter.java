package io.klingrelay.status.query;

import io.klingrelay.status.model.RequestState;
import io.klingrelay.status.model.RequestView;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Which of a campaign's requests a page shows.
 *
 * @param state  only requests in this state, or null for all
 * @param search only requests whose id contains this text (case-insensitive), or null for all
 * @param after  start after this cursor: {@code <requestId>/<accountId>}, or a bare request id; null from the start
 * @param limit  at most this many, 1–1000
 */
public record RequestFilter(@Nullable RequestState state, @Nullable String search, @Nullable String after, int limit) {

    /** The largest page. */
    public static final int MAX_LIMIT = 1000;

    public RequestFilter {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
        }
        search = search == null || search.isBlank() ? null : search.trim().toLowerCase(Locale.ROOT);
        after = after == null || after.isBlank() ? null : after;
    }

    /**
     * @param view a request
     * @return whether the page shows it
     */
    public boolean matches(RequestView view) {
        return (state == null || view.state() == state)
                && (search == null || view.requestId().toLowerCase(Locale.ROOT).contains(search));
    }
}
