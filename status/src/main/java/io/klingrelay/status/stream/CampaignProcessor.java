package io.klingrelay.status.stream;

import io.klingrelay.status.model.CampaignTotals;
import io.klingrelay.status.model.RequestView;
import java.util.Objects;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jspecify.annotations.Nullable;

/**
 * Keeps a campaign's totals, its request index and its waiting index (key: campaign id). The
 * request's last counted view is read from the index, subtracted, and the new one added; a view
 * whose version is not newer than the counted one (a replay, a duplicate) changes nothing.
 */
final class CampaignProcessor implements Processor<String, CampaignUpdate, Void, Void> {

    private @Nullable KeyValueStore<String, CampaignTotals> campaigns;
    private @Nullable KeyValueStore<String, RequestView> index;
    private @Nullable KeyValueStore<String, String> waiting;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        campaigns = context.getStateStore(StatusTopology.CAMPAIGNS);
        index = context.getStateStore(StatusTopology.CAMPAIGN_REQUESTS);
        waiting = context.getStateStore(StatusTopology.CAMPAIGN_WAITING);
    }

    @Override
    public void process(Record<String, CampaignUpdate> record) {
        String campaignId = record.key();
        RequestView view = record.value().view();
        String indexKey = StoreKeys.campaignRequest(campaignId, view.requestId(), view.accountId());
        RequestView counted = Objects.requireNonNull(index).get(indexKey);
        if (isStale(counted, view, record.value().removed())) {
            return;
        }
        KeyValueStore<String, CampaignTotals> totals = Objects.requireNonNull(campaigns);
        CampaignTotals campaign = Objects.requireNonNullElse(totals.get(campaignId), CampaignTotals.empty(campaignId));
        if (counted != null) {
            campaign = campaign.minus(counted);
            Objects.requireNonNull(waiting).delete(waitingKey(campaignId, counted));
        }
        if (record.value().removed()) {
            index.delete(indexKey);
        } else {
            campaign = campaign.plus(view);
            index.put(indexKey, view);
            markWaiting(campaignId, view);
        }
        totals.put(campaignId, campaign);
    }

    private static boolean isStale(@Nullable RequestView counted, RequestView view, boolean removed) {
        return removed ? counted == null || counted.version() > view.version()
                : counted != null && counted.version() >= view.version();
    }

    private void markWaiting(String campaignId, RequestView view) {
        if (!view.state().isTerminal()) {
            Objects.requireNonNull(waiting).put(waitingKey(campaignId, view), "");
        }
    }

    private static String waitingKey(String campaignId, RequestView view) {
        return StoreKeys.waiting(campaignId, view.requestedAt(), view.requestId(), view.accountId());
    }
}
