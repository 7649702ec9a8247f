package io.klingrelay.status.web;

import io.klingrelay.status.config.StatusProperties;
import io.klingrelay.status.model.CampaignView;
import io.klingrelay.status.model.RequestState;
import io.klingrelay.status.model.RequestView;
import io.klingrelay.status.query.CampaignList;
import io.klingrelay.status.query.RemoteStatusClient;
import io.klingrelay.status.query.RequestFilter;
import io.klingrelay.status.query.RequestPage;
import io.klingrelay.status.query.StatusQueries;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The status HTTP API (issue 11 contract), JSON. A query for a key another instance owns is
 * forwarded to it; {@code 404} for an unknown request or campaign, {@code 503} with
 * {@code Retry-After} while no instance can answer (see {@link StatusErrors}). A browser asking
 * for {@code /campaigns/{campaignId}} with {@code Accept: text/html} gets the campaign page.
 */
@RestController
public class StatusApiController {

    private final StatusQueries queries;
    private final StatusProperties properties;

    /**
     * @param queries    the queries
     * @param properties the status settings
     */
    public StatusApiController(StatusQueries queries, StatusProperties properties) {
        this.queries = queries;
        this.properties = properties;
    }

    /**
     * {@code GET /requests/{accountId}/{requestId}}.
     *
     * @param accountId the account
     * @param requestId the request id
     * @param presign   {@code true} signs fresh presigned URLs ({@code klingrelay.status.presign-expiry}, 1 h)
     * @param local     set on a forwarded call: answer from this instance only
     * @return the request's view, or 404
     */
    @GetMapping(path = "/requests/{accountId}/{requestId}", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<RequestView> request(@PathVariable String accountId, @PathVariable String requestId,
            @RequestParam(defaultValue = "false") boolean presign,
            @RequestHeader(name = RemoteStatusClient.LOCAL_HEADER, defaultValue = "false") boolean local) {
        return found(queries.request(accountId, requestId, presign, local));
    }

    /**
     * {@code GET /campaigns/{campaignId}}: the campaign's view as JSON, or its page for a browser.
     *
     * @param campaignId the campaign
     * @param local      set on a forwarded call
     * @param request    the HTTP request (for its {@code Accept} header and the page's filter)
     * @return the view, the page, or 404
     */
    @GetMapping("/campaigns/{campaignId}")
    public ResponseEntity<?> campaign(@PathVariable String campaignId,
            @RequestHeader(name = RemoteStatusClient.LOCAL_HEADER, defaultValue = "false") boolean local,
            HttpServletRequest request) {
        if (!local && wantsHtml(request)) {
            return html(CampaignPages.campaign(campaignId, queries.campaign(campaignId, false).orElse(null),
                    pageOf(campaignId, request), request.getParameter("state"), request.getParameter("q")));
        }
        Optional<CampaignView> view = queries.campaign(campaignId, local);
        return view.<ResponseEntity<?>>map(v -> ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(v))
                .orElseGet(() -> ResponseEntity.notFound().build());
    }

    /**
     * {@code GET /campaigns/{campaignId}/requests?state=&q=&after=&limit=}.
     *
     * @param campaignId the campaign
     * @param state      only this state (wire name), or all
     * @param q          only request ids containing this text
     * @param after      the previous page's {@code next}
     * @param limit      page size, 1–1000 (default 100)
     * @param presign    {@code true} signs fresh presigned URLs
     * @param local      set on a forwarded call
     * @return the page (empty for an unknown campaign)
     */
    @GetMapping(path = "/campaigns/{campaignId}/requests", produces = MediaType.APPLICATION_JSON_VALUE)
    public RequestPage campaignRequests(@PathVariable String campaignId, @RequestParam(required = false) @Nullable String state,
            @RequestParam(required = false) @Nullable String q, @RequestParam(required = false) @Nullable String after,
            @RequestParam(defaultValue = "100") int limit, @RequestParam(defaultValue = "false") boolean presign,
            @RequestHeader(name = RemoteStatusClient.LOCAL_HEADER, defaultValue = "false") boolean local) {
        return queries.campaignRequests(campaignId, new RequestFilter(stateOf(state), q, after, limit), presign, local);
    }

    /**
     * {@code GET /campaigns?limit=}.
     *
     * @param limit at most this many (default 20)
     * @param local set on a forwarded call: this instance's campaigns only
     * @return campaigns, most recently updated first
     */
    @GetMapping(path = "/campaigns", produces = MediaType.APPLICATION_JSON_VALUE)
    public CampaignList campaigns(@RequestParam(defaultValue = "20") int limit,
            @RequestHeader(name = RemoteStatusClient.LOCAL_HEADER, defaultValue = "false") boolean local) {
        if (limit < 1 || limit > RequestFilter.MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + RequestFilter.MAX_LIMIT + ", got " + limit);
        }
        return queries.recentCampaigns(limit, local);
    }

    /**
     * The rows of the campaign page's request table, for the page's script to refresh it.
     *
     * @param campaignId the campaign
     * @param request    the HTTP request (its {@code state}, {@code q} and {@code after} parameters)
     * @return an HTML fragment of table rows
     */
    @GetMapping(path = "/campaigns/{campaignId}/requests-table", produces = MediaType.TEXT_HTML_VALUE)
    public String requestsTable(@PathVariable String campaignId, HttpServletRequest request) {
        return CampaignPages.requestRows(pageOf(campaignId, request));
    }

    /**
     * The campaign list page.
     *
     * @return HTML
     */
    @GetMapping(path = "/", produces = MediaType.TEXT_HTML_VALUE)
    public String index() {
        return CampaignPages.campaignList(queries.recentCampaigns(RequestFilter.MAX_LIMIT, false).campaigns());
    }

    private RequestPage pageOf(String campaignId, HttpServletRequest request) {
        RequestFilter filter = new RequestFilter(stateOf(request.getParameter("state")), request.getParameter("q"),
                request.getParameter("after"), properties.pageSize());
        return queries.campaignRequests(campaignId, filter, true, false);
    }

    static @Nullable RequestState stateOf(@Nullable String state) {
        if (state == null || state.isBlank()) {
            return null;
        }
        RequestState parsed = RequestState.fromWire(state);
        if (parsed == null) {
            throw new IllegalArgumentException("state must be one of queued, submitted, processing, generated, "
                    + "archived, failed; got '" + state + "'");
        }
        return parsed;
    }

    private static boolean wantsHtml(HttpServletRequest request) {
        String accept = request.getHeader("Accept");
        return accept != null && accept.contains(MediaType.TEXT_HTML_VALUE);
    }

    private static ResponseEntity<String> html(String body) {
        return ResponseEntity.ok().contentType(new MediaType(MediaType.TEXT_HTML, java.nio.charset.StandardCharsets.UTF_8))
                .body(body);
    }

    private static <T> ResponseEntity<T> found(Optional<T> value) {
        return value.map(ResponseEntity::ok).orElseGet(() -> ResponseEntity.notFound().build());
    }
}
