package io.klingrelay.status.query;

import io.klingrelay.status.model.RequestView;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One page of a campaign's requests ({@code GET /campaigns/{campaignId}/requests}), in stable
 * order by request id (then account).
 *
 * @param requests the page
 * @param next     the {@code after} value of the next page ({@code <requestId>/<accountId>}), or
 *                 null on the last page
 */
public record RequestPage(List<RequestView> requests, @Nullable String next) {
}
