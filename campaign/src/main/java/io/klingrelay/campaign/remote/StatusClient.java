package io.klingrelay.campaign.remote;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The status service's HTTP API (module {@code status}; JSON): {@code GET /campaigns/{id}},
 * {@code GET /campaigns/{id}/requests?state=&after=&limit=} (pages in request-id order) and
 * {@code GET /requests/{accountId}/{requestId}[?presign=true]}. Fields are read tolerantly:
 * missing ones are null or 0, unknown ones are ignored.
 *
 * @param baseUrl e.g. {@code http://127.0.0.1:8085}
 */
public record StatusClient(String baseUrl) {

    /** Terminal request states (lower-case wire names). */
    public static final List<String> TERMINAL = List.of("archived", "failed");
    /** Every request state, in pipeline order. */
    public static final List<String> STATES = List.of("queued", "submitted", "processing", "generated", "archived", "failed");
    private static final int PAGE = 200;

    public StatusClient {
        baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    /**
     * @param campaignId a campaign
     * @return its view ({@code total, counts, accounts, units, oldestWaiting, failuresByReason, ...}), or empty when unknown
     */
    public Optional<JsonNode> campaign(String campaignId) {
        return JsonHttp.get(baseUrl + "/campaigns/" + encode(campaignId));
    }

    /**
     * @param accountId the account
     * @param requestId the request
     * @param presign   whether to refresh the presigned URLs
     * @return the request view, or empty when the service does not know it
     */
    public Optional<JsonNode> request(String accountId, String requestId, boolean presign) {
        return JsonHttp.get(baseUrl + "/requests/" + encode(accountId) + "/" + encode(requestId)
                + (presign ? "?presign=true" : ""));
    }

    /**
     * Pages through a campaign's requests.
     *
     * @param campaignId the campaign
     * @param state      only this state, or null for all
     * @param each       called with every request view, in request-id order
     */
    public void forEachRequest(String campaignId, @Nullable String state, Consumer<JsonNode> each) {
        String after = null;
        do {
            String url = baseUrl + "/campaigns/" + encode(campaignId) + "/requests?limit=" + PAGE
                    + (state == null ? "" : "&state=" + encode(state)) + (after == null ? "" : "&after=" + encode(after));
            Optional<JsonNode> page = JsonHttp.get(url);
            if (page.isEmpty()) {
                return;
            }
            List<JsonNode> requests = new ArrayList<>();
            page.get().path("requests").forEach(requests::add);
            requests.forEach(each);
            JsonNode next = page.get().path("next");
            after = requests.isEmpty() || next.isNull() || next.isMissingNode() || next.asString("").isEmpty()
                    ? null : next.asString();
        } while (after != null);
    }

    /** @return whether the service answers at all (any HTTP answer to {@code GET /campaigns?limit=1}) */
    public boolean isReachable() {
        try {
            JsonHttp.get(baseUrl + "/campaigns?limit=1");
            return true;
        } catch (RemoteException e) {
            return false;
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
