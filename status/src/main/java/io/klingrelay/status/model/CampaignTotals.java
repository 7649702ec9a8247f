package io.klingrelay.status.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A campaign's running totals in the campaign store: each request counts once, in its current
 * state. A request that moves is {@link #minus subtracted} in its old view and {@link #plus added}
 * in its new one, so the totals never drift. {@code firstSeenAt} and {@code lastUpdateAt} only
 * ever widen.
 *
 * @param campaignId   the campaign
 * @param total        the number of requests
 * @param counts       requests per state wire name (states with none are absent)
 * @param accounts     per account, requests per state wire name
 * @param units        the sum of the requests' {@code final_unit_deduction}
 * @param failures     failed requests per {@code stage + "\n" + reason}
 * @param firstSeenAt  the earliest request time seen
 * @param lastUpdateAt the newest event time seen
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CampaignTotals(
        String campaignId,
        long total,
        Map<String, Long> counts,
        Map<String, Map<String, Long>> accounts,
        BigDecimal units,
        Map<String, Long> failures,
        @Nullable Instant firstSeenAt,
        @Nullable Instant lastUpdateAt) {

    private static final String SEPARATOR = "\n";

    public CampaignTotals {
        Objects.requireNonNull(campaignId, "campaignId");
        counts = counts == null ? Map.of() : Map.copyOf(counts);
        accounts = accounts == null ? Map.of() : Map.copyOf(accounts);
        units = units == null ? BigDecimal.ZERO : units;
        failures = failures == null ? Map.of() : Map.copyOf(failures);
    }

    /**
     * @param campaignId a campaign
     * @return totals with no request
     */
    public static CampaignTotals empty(String campaignId) {
        return new CampaignTotals(campaignId, 0, Map.of(), Map.of(), BigDecimal.ZERO, Map.of(), null, null);
    }

    /**
     * @param request a request's view to count
     * @return these totals with the request added
     */
    public CampaignTotals plus(RequestView request) {
        return change(request, 1);
    }

    /**
     * @param request a request's view counted before
     * @return these totals with the request taken out
     */
    public CampaignTotals minus(RequestView request) {
        return change(request, -1);
    }

    private CampaignTotals change(RequestView request, int sign) {
        String state = request.state().wireName();
        Map<String, Map<String, Long>> byAccount = new TreeMap<>(accounts);
        byAccount.put(request.accountId(), add(byAccount.getOrDefault(request.accountId(), Map.of()), state, sign));
        byAccount.values().removeIf(Map::isEmpty);
        Map<String, Long> failed = request.failure() == null ? failures
                : add(failures, request.failure().stage() + SEPARATOR + request.failure().reason(), sign);
        BigDecimal requestUnits = request.units() == null ? BigDecimal.ZERO : request.units();
        return new CampaignTotals(campaignId, total + sign, add(counts, state, sign), byAccount,
                sign > 0 ? units.add(requestUnits) : units.subtract(requestUnits), failed,
                earliest(firstSeenAt, request.requestedAt()), latest(lastUpdateAt, request.updatedAt()));
    }

    private static Map<String, Long> add(Map<String, Long> map, String key, int sign) {
        Map<String, Long> copy = new TreeMap<>(map);
        long value = copy.getOrDefault(key, 0L) + sign;
        if (value == 0) {
            copy.remove(key);
        } else {
            copy.put(key, value);
        }
        return copy;
    }

    private static Instant earliest(@Nullable Instant a, Instant b) {
        return a == null || b.isBefore(a) ? b : a;
    }

    private static Instant latest(@Nullable Instant a, Instant b) {
        return a == null || b.isAfter(a) ? b : a;
    }

    /**
     * The wire view ({@code GET /campaigns/{campaignId}}): every state appears in the counts, zero
     * included, failures sorted by count (highest first).
     *
     * @param oldestWaiting the oldest non-terminal request, or null when all are terminal
     * @return the view
     */
    public CampaignView view(@Nullable Waiting oldestWaiting) {
        Map<String, Map<String, Long>> byAccount = new TreeMap<>();
        accounts.forEach((account, states) -> byAccount.put(account, allStates(states)));
        List<FailureCount> byReason = failures.entrySet().stream()
                .map(e -> new FailureCount(e.getKey().substring(0, e.getKey().indexOf(SEPARATOR)),
                        e.getKey().substring(e.getKey().indexOf(SEPARATOR) + 1), e.getValue()))
                .sorted(Comparator.comparingLong(FailureCount::count).reversed()
                        .thenComparing(FailureCount::stage).thenComparing(FailureCount::reason))
                .toList();
        return new CampaignView(campaignId, total, allStates(counts), byAccount, plain(units),
                oldestWaiting, byReason, firstSeenAt, lastUpdateAt);
    }

    /** 3600, not 3.6E+3: JSON readers and people read the plain form. */
    private static BigDecimal plain(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    private static Map<String, Long> allStates(Map<String, Long> counts) {
        Map<String, Long> all = new java.util.LinkedHashMap<>();
        for (RequestState state : RequestState.values()) {
            all.put(state.wireName(), counts.getOrDefault(state.wireName(), 0L));
        }
        return all;
    }
}
