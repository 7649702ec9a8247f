package io.klingrelay.campaign.remote;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The submitter's admin API for campaigns: {@code POST /admin/campaigns/{id}/pause|resume|cancel},
 * with {@code Authorization: Bearer <token>} when the deployment sets
 * {@code klingrelay.submitter.admin-token} (the token is never printed).
 *
 * @param baseUrl a submitter's base URL, e.g. {@code http://127.0.0.1:8081}
 * @param token   the admin token, or null when the admin API is open
 */
public record SubmitterAdmin(String baseUrl, @Nullable String token) {

    /** What an operator can do to a campaign. */
    public enum Action {
        /** Stop dispatching its queued requests until resumed. */
        PAUSE,
        /** Dispatch its queued requests again. */
        RESUME,
        /** Fail its queued requests with stage {@code cancelled}. */
        CANCEL;

        String path() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Keeps the token out of logs. */
    @Override
    public String toString() {
        return "SubmitterAdmin[" + baseUrl + ", token=" + (token == null ? "none" : "***") + "]";
    }

    /**
     * @param campaignId the campaign
     * @param action     what to do
     * @return the submitter's answer ({@code {"cancelled": n}} or {@code {"campaignId", "state"}})
     * @throws RemoteException when the submitter refuses (401: wrong or missing token) or cannot be reached
     */
    public JsonNode campaign(String campaignId, Action action) {
        String url = baseUrl.replaceAll("/+$", "") + "/admin/campaigns/"
                + URLEncoder.encode(campaignId, StandardCharsets.UTF_8) + "/" + action.path();
        return JsonHttp.post(url, token).orElseThrow(() -> new RemoteException("POST " + url + " answered 404"));
    }
}
