package io.klingrelay.status.stream;

import io.klingrelay.status.model.RequestEvent;
import io.klingrelay.status.model.RequestView;
import java.util.Objects;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jspecify.annotations.Nullable;

/**
 * Folds each event into its request's view in {@link StatusTopology#REQUESTS} (key:
 * {@code <accountId>/<requestId>}) and sends the view to its campaign's partition. The view is sent
 * before it is stored, and sent again when an event repeats (a replay after a crash): whatever
 * part of a crash's writes reached Kafka, the campaign side ends with the latest view, and it
 * drops views it counted before by their version. So the totals hold under at-least-once too.
 */
final class RequestProcessor implements Processor<String, RequestEvent, String, CampaignUpdate> {

    private @Nullable ProcessorContext<String, CampaignUpdate> context;
    private @Nullable KeyValueStore<String, RequestView> requests;

    @Override
    public void init(ProcessorContext<String, CampaignUpdate> context) {
        this.context = context;
        this.requests = context.getStateStore(StatusTopology.REQUESTS);
    }

    @Override
    public void process(Record<String, RequestEvent> record) {
        KeyValueStore<String, RequestView> store = Objects.requireNonNull(requests);
        RequestView current = store.get(record.key());
        RequestView next = RequestView.apply(current, record.value());
        if (leftCampaign(current, next)) {
            forward(record, Objects.requireNonNull(current.campaignId()), new CampaignUpdate(current, true));
        }
        if (next.campaignId() != null) {
            forward(record, next.campaignId(), new CampaignUpdate(next, false));
        }
        if (next != current) {
            store.put(record.key(), next);
        }
    }

    private static boolean leftCampaign(@Nullable RequestView current, RequestView next) {
        return current != null && current.campaignId() != null && !current.campaignId().equals(next.campaignId());
    }

    private void forward(Record<String, RequestEvent> record, String campaignId, CampaignUpdate update) {
        Objects.requireNonNull(context).forward(record.withKey(campaignId).withValue(update));
    }
}
