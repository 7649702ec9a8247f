package io.klingrelay.status.query;

import io.klingrelay.status.model.CampaignView;
import io.klingrelay.status.model.RequestView;
import io.klingrelay.status.stream.StatusTopology;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.jspecify.annotations.Nullable;

/**
 * Answers the status API's queries: from this instance's stores when it owns the key, else by
 * forwarding to the owner; {@code localOnly} (a forwarded call) never forwards again. Recent
 * campaigns are gathered from every instance that answers.
 */
public final class StatusQueries {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(StatusQueries.class);

    private final LocalStatusStore local;
    private final KeyRouter router;
    private final RemoteStatusClient remote;
    private final AssetPresigner presigner;

    /**
     * @param local     this instance's stores
     * @param router    finds a key's owner
     * @param remote    forwards to another instance
     * @param presigner refreshes presigned URLs
     */
    public StatusQueries(LocalStatusStore local, KeyRouter router, RemoteStatusClient remote, AssetPresigner presigner) {
        this.local = local;
        this.router = router;
        this.remote = remote;
        this.presigner = presigner;
    }

    /**
     * @param accountId the account
     * @param requestId the request id
     * @param presign   whether to sign fresh presigned URLs (1 h by default)
     * @param localOnly answer from this instance only
     * @return the request's view, or empty when unknown
     * @throws StatusUnavailableException while the owner cannot answer
     */
    public Optional<RequestView> request(String accountId, String requestId, boolean presign, boolean localOnly) {
        String path = "/requests/" + encode(accountId) + "/" + encode(requestId) + (presign ? "?presign=true" : "");
        return route(StatusTopology.REQUESTS, RequestView.keyOf(accountId, requestId), localOnly,
                () -> local.request(accountId, requestId), path, RequestView.class)
                .map(view -> presign ? view.withAssets(presigner::presign) : view);
    }

    /**
     * @param campaignId the campaign
     * @param localOnly  answer from this instance only
     * @return the campaign's view, or empty when no request of it was seen
     * @throws StatusUnavailableException while the owner cannot answer
     */
    public Optional<CampaignView> campaign(String campaignId, boolean localOnly) {
        return route(StatusTopology.CAMPAIGNS, campaignId, localOnly, () -> local.campaign(campaignId),
                "/campaigns/" + encode(campaignId), CampaignView.class);
    }

    /**
     * @param campaignId the campaign
     * @param filter     state, search text, cursor and page size
     * @param presign    whether to sign fresh presigned URLs
     * @param localOnly  answer from this instance only
     * @return the page (empty for an unknown campaign)
     * @throws StatusUnavailableException while the owner cannot answer
     */
    public RequestPage campaignRequests(String campaignId, RequestFilter filter, boolean presign, boolean localOnly) {
        String path = "/campaigns/" + encode(campaignId) + "/requests?limit=" + filter.limit()
                + param("state", filter.state() == null ? null : filter.state().wireName()) + param("q", filter.search())
                + param("after", filter.after()) + (presign ? "&presign=true" : "");
        RequestPage page = route(StatusTopology.CAMPAIGNS, campaignId, localOnly,
                () -> Optional.of(local.campaignRequests(campaignId, filter)), path, RequestPage.class)
                .orElse(new RequestPage(List.of(), null));
        return presign ? new RequestPage(page.requests().stream().map(v -> v.withAssets(presigner::presign)).toList(),
                page.next()) : page;
    }

    /**
     * @param limit     at most this many
     * @param localOnly only this instance's campaigns
     * @return campaigns, most recently updated first
     * @throws StatusUnavailableException while this instance's stores cannot answer
     */
    public CampaignList recentCampaigns(int limit, boolean localOnly) {
        List<CampaignView> all = new ArrayList<>(localCall(local::campaigns));
        if (!localOnly) {
            for (String instance : router.otherInstances()) {
                all.addAll(campaignsOf(instance, limit));
            }
        }
        all.sort(Comparator.comparing((CampaignView c) -> c.lastUpdateAt() == null ? Instant.EPOCH : c.lastUpdateAt())
                .reversed().thenComparing(CampaignView::campaignId));
        return new CampaignList(List.copyOf(all.subList(0, Math.min(limit, all.size()))));
    }

    /** An instance that does not answer (killed, not yet out of the group) leaves its campaigns out for now. */
    private List<CampaignView> campaignsOf(String instance, int limit) {
        try {
            return remote.get(instance, "/campaigns?limit=" + limit, CampaignList.class).map(CampaignList::campaigns)
                    .orElse(List.of());
        } catch (StatusUnavailableException e) {
            log.warn("instance {} did not list its campaigns: {}", instance, e.getMessage());
            return List.of();
        }
    }

    private <T> Optional<T> route(String store, String key, boolean localOnly, Supplier<Optional<T>> here,
            String path, Class<T> type) {
        if (localOnly) {
            return localCall(here);
        }
        return switch (router.ownerOf(store, key)) {
            case Owner.Local ignored -> localCall(here);
            case Owner.Remote owner -> remote.get(owner.baseUrl(), path, type);
            case Owner.Unavailable ignored -> throw new StatusUnavailableException("no instance owns " + store
                    + " key " + key + " right now (starting or rebalancing)");
        };
    }

    private static <T> T localCall(Supplier<T> query) {
        try {
            return query.get();
        } catch (InvalidStateStoreException e) {
            throw new StatusUnavailableException("the state stores are not queryable right now: " + e.getMessage(), e);
        }
    }

    private static String param(String name, @Nullable String value) {
        return value == null ? "" : "&" + name + "=" + encode(value);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
