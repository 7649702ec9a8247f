package io.klingrelay.status.web;

import io.klingrelay.status.model.AssetView;
import io.klingrelay.status.model.CampaignView;
import io.klingrelay.status.model.FailureCount;
import io.klingrelay.status.model.RequestState;
import io.klingrelay.status.model.RequestView;
import io.klingrelay.status.query.RequestPage;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.web.util.HtmlUtils;

/**
 * The server-rendered HTML of the campaign pages: plain HTML, every value escaped, with
 * {@code /status.js} updating the counts from the campaign's Server-Sent Events and refreshing the
 * request table. Element ids are the page's contract with the script (and the browser test).
 */
final class CampaignPages {

    private CampaignPages() {
    }

    /**
     * @param campaigns the campaigns, most recent first
     * @return the list page ({@code /})
     */
    static String campaignList(List<CampaignView> campaigns) {
        StringBuilder html = head("Campaigns", "<meta http-equiv=\"refresh\" content=\"10\">");
        html.append("<body><header><h1>Kling Relay campaigns</h1></header><main>");
        if (campaigns.isEmpty()) {
            html.append("<p id=\"no-campaigns\">No campaign seen yet.</p>");
        } else {
            html.append("<table id=\"campaigns\"><thead><tr><th>campaign</th><th>requests</th><th>archived</th>")
                    .append("<th>failed</th><th>pending</th><th>units</th><th>last update</th></tr></thead><tbody>");
            campaigns.forEach(c -> html.append("<tr><td><a href=\"/campaigns/").append(url(c.campaignId())).append("\">")
                    .append(e(c.campaignId())).append("</a></td><td>").append(c.total()).append("</td><td>")
                    .append(count(c, RequestState.ARCHIVED)).append("</td><td>").append(count(c, RequestState.FAILED))
                    .append("</td><td>").append(pending(c)).append("</td><td>").append(c.units().toPlainString())
                    .append("</td><td>").append(e(String.valueOf(c.lastUpdateAt()))).append("</td></tr>"));
            html.append("</tbody></table>");
        }
        return html.append("</main></body></html>").toString();
    }

    /**
     * @param campaignId the campaign
     * @param campaign   its view, or null when nothing of it was seen yet
     * @param page       the first page of its requests (filtered)
     * @param state      the state filter, as given
     * @param search     the search text, as given
     * @return the campaign page ({@code /campaigns/{campaignId}})
     */
    static String campaign(String campaignId, @Nullable CampaignView campaign, RequestPage page,
            @Nullable String state, @Nullable String search) {
        StringBuilder html = head("Campaign " + campaignId, "");
        html.append("<body data-campaign=\"").append(e(campaignId)).append("\"><header><a href=\"/\">Campaigns</a> / <h1>")
                .append(e(campaignId)).append("</h1><span id=\"live\" class=\"live\">connecting</span></header><main>");
        summary(html, campaign);
        accounts(html, campaign);
        failures(html, campaign);
        requests(html, page, state, search);
        return html.append("</main><script src=\"/status.js\"></script></body></html>").toString();
    }

    /**
     * @param page a page of requests
     * @return its table rows
     */
    static String requestRows(RequestPage page) {
        StringBuilder rows = new StringBuilder();
        for (RequestView request : page.requests()) {
            rows.append("<tr data-request=\"").append(e(request.requestId())).append("\" class=\"state-")
                    .append(request.state().wireName()).append("\"><td class=\"request-id\">").append(e(request.requestId()))
                    .append(request.retryOf() == null ? "" : " <small>retry of " + e(request.retryOf()) + "</small>")
                    .append("</td><td>").append(e(request.accountId())).append("</td><td class=\"state\">")
                    .append(request.state().wireName()).append("</td><td>").append(e(orEmpty(request.taskId())))
                    .append("</td><td>").append(request.units() == null ? "" : request.units().toPlainString())
                    .append("</td><td>").append(e(request.updatedAt().toString())).append("</td><td>")
                    .append(request.failure() == null ? "" : e(request.failure().stage() + ": " + request.failure().reason()))
                    .append("</td><td class=\"preview\">");
            request.assets().forEach(asset -> preview(rows, asset));
            rows.append("</td></tr>");
        }
        return rows.toString();
    }

    private static void summary(StringBuilder html, @Nullable CampaignView c) {
        html.append("<section id=\"summary\"><p>Requests: <strong id=\"total\">").append(c == null ? 0 : c.total())
                .append("</strong> · units used: <strong id=\"units\">").append(c == null ? "0" : c.units().toPlainString())
                .append("</strong> · oldest waiting: <span id=\"oldest-waiting\">")
                .append(c == null || c.oldestWaiting() == null ? "none"
                        : e(c.oldestWaiting().requestId() + " (" + c.oldestWaiting().accountId() + ") since "
                                + c.oldestWaiting().since()))
                .append("</span> · last update: <span id=\"last-update\">")
                .append(c == null ? "" : e(String.valueOf(c.lastUpdateAt()))).append("</span></p>")
                .append("<div class=\"bar\" id=\"progress\"></div><table id=\"counts\"><tr>");
        for (RequestState state : RequestState.values()) {
            html.append("<th>").append(state.wireName()).append("</th>");
        }
        html.append("</tr><tr>");
        for (RequestState state : RequestState.values()) {
            html.append("<td id=\"count-").append(state.wireName()).append("\">").append(c == null ? 0 : count(c, state))
                    .append("</td>");
        }
        html.append("</tr></table></section>");
    }

    private static void accounts(StringBuilder html, @Nullable CampaignView c) {
        html.append("<section><h2>Progress per account</h2><table id=\"accounts\"><thead><tr><th>account</th>");
        for (RequestState state : RequestState.values()) {
            html.append("<th>").append(state.wireName()).append("</th>");
        }
        html.append("</tr></thead><tbody id=\"accounts-body\">");
        if (c != null) {
            c.accounts().forEach((account, counts) -> accountRow(html, account, counts));
        }
        html.append("</tbody></table></section>");
    }

    private static void accountRow(StringBuilder html, String account, Map<String, Long> counts) {
        html.append("<tr><td>").append(e(account)).append("</td>");
        for (RequestState state : RequestState.values()) {
            html.append("<td>").append(counts.getOrDefault(state.wireName(), 0L)).append("</td>");
        }
        html.append("</tr>");
    }

    private static void failures(StringBuilder html, @Nullable CampaignView c) {
        html.append("<section><h2>Failures</h2><table id=\"failures\"><thead><tr><th>stage</th><th>reason</th>")
                .append("<th>requests</th></tr></thead><tbody id=\"failures-body\">");
        List<FailureCount> failures = c == null ? List.of() : c.failuresByReason();
        failures.forEach(f -> html.append("<tr><td>").append(e(f.stage())).append("</td><td>").append(e(f.reason()))
                .append("</td><td>").append(f.count()).append("</td></tr>"));
        html.append("</tbody></table></section>");
    }

    private static void requests(StringBuilder html, RequestPage page, @Nullable String state, @Nullable String search) {
        html.append("<section><h2>Requests</h2><form id=\"filter\" method=\"get\"><label>state <select name=\"state\">")
                .append("<option value=\"\">all</option>");
        for (RequestState s : RequestState.values()) {
            html.append("<option").append(s.wireName().equals(state) ? " selected" : "").append(">")
                    .append(s.wireName()).append("</option>");
        }
        html.append("</select></label> <label>request id <input name=\"q\" value=\"").append(e(orEmpty(search)))
                .append("\"></label> <button type=\"submit\">Filter</button></form>")
                .append("<table id=\"requests\"><thead><tr><th>request</th><th>account</th><th>state</th><th>task</th>")
                .append("<th>units</th><th>updated</th><th>failure</th><th>preview</th></tr></thead><tbody id=\"requests-body\">")
                .append(requestRows(page)).append("</tbody></table>");
        if (page.next() != null) {
            html.append("<p><a id=\"next-page\" href=\"?after=").append(url(page.next()))
                    .append(state == null ? "" : "&amp;state=" + url(state))
                    .append(search == null ? "" : "&amp;q=" + url(search)).append("\">next page</a></p>");
        }
        html.append("</section>");
    }

    private static void preview(StringBuilder html, AssetView asset) {
        if (asset.presignedUrl() == null) {
            html.append(e(asset.objectKey()));
            return;
        }
        String src = e(asset.presignedUrl());
        if (asset.isImage()) {
            html.append("<a href=\"").append(src).append("\"><img class=\"thumb\" loading=\"lazy\" alt=\"")
                    .append(e(asset.objectKey())).append("\" src=\"").append(src).append("\"></a>");
        } else {
            html.append("<video class=\"player\" controls preload=\"metadata\" src=\"").append(src).append("\"></video>");
        }
    }

    private static StringBuilder head(String title, String extra) {
        return new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(e(title)).append(" · Kling Relay</title><link rel=\"stylesheet\" href=\"/status.css\">")
                .append(extra).append("</head>");
    }

    private static long count(CampaignView c, RequestState state) {
        return c.counts().getOrDefault(state.wireName(), 0L);
    }

    private static long pending(CampaignView c) {
        return c.total() - count(c, RequestState.ARCHIVED) - count(c, RequestState.FAILED);
    }

    private static String orEmpty(@Nullable String value) {
        return value == null ? "" : value;
    }

    private static String e(String text) {
        return HtmlUtils.htmlEscape(text, StandardCharsets.UTF_8.name());
    }

    private static String url(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
