package io.klingrelay.campaign.command;

import io.klingrelay.campaign.remote.StatusClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/**
 * Counts per state of a campaign, from the status service's campaign view.
 *
 * @param byState  state → requests (every state of {@link StatusClient#STATES}, 0 when absent)
 * @param total    requests the service knows in the campaign
 * @param expected requests the command expects at least (e.g. the file's valid lines)
 */
public record CampaignCounts(Map<String, Long> byState, long total, long expected) {

    public CampaignCounts {
        byState = Map.copyOf(byState);
    }

    /**
     * @param view     {@code GET /campaigns/{id}}, or null when the service does not know the campaign yet
     * @param expected requests expected at least
     * @return the counts
     */
    public static CampaignCounts of(JsonNode view, long expected) {
        Map<String, Long> counts = new LinkedHashMap<>();
        StatusClient.STATES.forEach(state -> counts.put(state, view == null ? 0L : view.path("counts").path(state).asLong(0)));
        long total = view == null ? 0 : view.path("total").asLong(0);
        return new CampaignCounts(counts, total, expected);
    }

    /** @return archived requests */
    public long archived() {
        return byState.getOrDefault("archived", 0L);
    }

    /** @return failed requests */
    public long failed() {
        return byState.getOrDefault("failed", 0L);
    }

    /** @return requests in a terminal state */
    public long done() {
        return archived() + failed();
    }

    /** @return the larger of what the service knows and what is expected */
    public long size() {
        return Math.max(total, expected);
    }

    /** @return requests not yet archived or failed (including expected ones the service has not seen yet) */
    public long pending() {
        return Math.max(0, size() - done());
    }

    /** @return whether every request ended */
    public boolean finished() {
        return size() > 0 && pending() == 0;
    }

    /** @return {@code queued 3, submitted 1, ...} (non-zero states only, in pipeline order) */
    public String states() {
        String text = StatusClient.STATES.stream().filter(state -> byState.getOrDefault(state, 0L) > 0)
                .map(state -> state + " " + byState.get(state)).collect(Collectors.joining(", "));
        return text.isEmpty() ? "nothing seen yet" : text;
    }

    /**
     * @param campaignId the campaign
     * @return {@code campaign <id>: <N> archived, <M> failed, <P> pending}
     */
    public String summary(String campaignId) {
        return "campaign " + campaignId + ": " + archived() + " archived, " + failed() + " failed, " + pending() + " pending";
    }
}
