package io.klingrelay.deploy.demo;

import io.klingrelay.common.event.ArchivedAsset;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the demo knows about one request.
 *
 * @param requestId the request id (or the {@code <topic>-<partition>@<offset>} locator of a raw line)
 * @param accountId the account, when known
 * @param product   the product's wire name, when known
 * @param state     the latest state
 * @param assets    the archived objects (empty unless archived)
 * @param detail    why it failed ({@code <stage>: <reason>}), or null
 */
public record RequestRow(String requestId, @Nullable String accountId, @Nullable String product, RequestState state,
        List<ArchivedAsset> assets, @Nullable String detail) {

    public RequestRow {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(state, "state");
        assets = List.copyOf(assets);
    }

    /**
     * @param entry   the published campaign line
     * @param trackId the id events will carry for it
     * @return a pending row
     */
    public static RequestRow pending(CampaignEntry entry, String trackId) {
        return new RequestRow(trackId, entry.accountId(), entry.product(), RequestState.PENDING, List.of(), null);
    }

    /**
     * @param next the new state
     * @return this row in {@code next}
     */
    public RequestRow withState(RequestState next) {
        return new RequestRow(requestId, accountId, product, next, assets, detail);
    }

    /**
     * @param archived the stored objects
     * @return this row, archived
     */
    public RequestRow archived(List<ArchivedAsset> archived) {
        return new RequestRow(requestId, accountId, product, RequestState.ARCHIVED, archived, null);
    }

    /**
     * @param why the failure detail
     * @return this row, failed
     */
    public RequestRow failed(String why) {
        return new RequestRow(requestId, accountId, product, RequestState.FAILED, List.of(), why);
    }

    /** @return the total archived size in bytes */
    public long totalSize() {
        return assets.stream().mapToLong(ArchivedAsset::size).sum();
    }
}
