package io.klingrelay.status.web;

import io.klingrelay.status.config.StatusProperties;
import io.klingrelay.status.model.CampaignView;
import io.klingrelay.status.query.StatusQueries;
import io.klingrelay.status.query.StatusUnavailableException;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /campaigns/{campaignId}/events}: Server-Sent Events, event {@code campaign} with the
 * campaign's view whenever it changed, checked every {@code klingrelay.status.events-interval}
 * (500 ms: changes are coalesced, at most 2 events per second). Works on any instance: the view
 * is read through the same routing as {@code GET /campaigns/{campaignId}}.
 */
@RestController
public class CampaignEventsController {

    private final StatusQueries queries;
    private final StatusProperties properties;
    private final ScheduledExecutorService scheduler;

    /**
     * @param queries    the queries
     * @param properties the status settings
     * @param scheduler  the scheduler that ticks the streams
     */
    public CampaignEventsController(StatusQueries queries, StatusProperties properties,
            ScheduledExecutorService scheduler) {
        this.queries = queries;
        this.properties = properties;
        this.scheduler = scheduler;
    }

    /**
     * @param campaignId the campaign
     * @return the event stream; it ends after {@code klingrelay.status.events-timeout} (the browser reconnects)
     */
    @GetMapping(path = "/campaigns/{campaignId}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public SseEmitter events(@PathVariable String campaignId) {
        SseEmitter emitter = new SseEmitter(properties.eventsTimeout().toMillis());
        AtomicReference<@Nullable CampaignView> last = new AtomicReference<>();
        long interval = properties.eventsInterval().toMillis();
        ScheduledFuture<?> ticks = scheduler.scheduleWithFixedDelay(() -> tick(campaignId, emitter, last), 0, interval,
                TimeUnit.MILLISECONDS);
        emitter.onCompletion(() -> ticks.cancel(false));
        emitter.onTimeout(() -> ticks.cancel(false));
        emitter.onError(e -> ticks.cancel(false));
        return emitter;
    }

    private void tick(String campaignId, SseEmitter emitter, AtomicReference<@Nullable CampaignView> last) {
        try {
            CampaignView view = queries.campaign(campaignId, false).orElse(null);
            if (view != null && !Objects.equals(view, last.get())) {
                emitter.send(SseEmitter.event().name("campaign").data(view, MediaType.APPLICATION_JSON));
                last.set(view);
            }
        } catch (StatusUnavailableException e) {
            // a rebalance or a restoring store: try again on the next tick
        } catch (IOException | IllegalStateException e) {
            emitter.completeWithError(e);
            throw new IllegalStateException("event stream closed", e);
        }
    }
}
