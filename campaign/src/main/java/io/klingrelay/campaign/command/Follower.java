package io.klingrelay.campaign.command;

import io.klingrelay.campaign.remote.Connection;
import io.klingrelay.campaign.remote.RemoteException;
import io.klingrelay.campaign.remote.StatusClient;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Follows a campaign until every request ended (archived or failed) or a timeout, by polling the
 * status service's {@code GET /campaigns/{id}} once a second (or, with no status service, by reading
 * the pipeline's outcome topics: {@link TopicCounts}). On a terminal it draws a progress bar
 * (me.tongfei:progressbar, on standard error: done/total, ETA, counts per state); otherwise it
 * prints a plain line when the counts change, at most every 2 s, and at least every 30 s.
 */
final class Follower {

    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration PLAIN_MIN = Duration.ofSeconds(2);
    private static final Duration PLAIN_MAX = Duration.ofSeconds(30);

    private final @Nullable StatusClient status;
    private final @Nullable Connection topics;
    private final Console console;
    private final boolean bar;

    /**
     * @param connection the deployment: its status service when one answers, else its Kafka topics
     * @param console    where to print
     * @param bar        whether to draw a progress bar (a terminal) instead of plain lines
     */
    Follower(Connection connection, Console console, boolean bar) {
        StatusClient client = connection.status();
        boolean reachable = client != null && client.isReachable();
        if (!reachable) {
            console.printf("following on Kafka's outcome topics (%s)%n", client == null ? "no --status-url"
                    : "the status service at " + client.baseUrl() + " does not answer");
        }
        this.status = reachable ? client : null;
        this.topics = reachable ? null : connection;
        this.console = console;
        this.bar = bar;
    }

    /**
     * @param campaignId the campaign
     * @param expected   requests expected at least
     * @param timeout    how long to follow at most
     * @return the last counts seen
     */
    CampaignCounts follow(String campaignId, long expected, Duration timeout) {
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        CampaignCounts counts = CampaignCounts.of(null, expected);
        try (Display display = bar ? new BarDisplay(campaignId, expected) : new PlainDisplay(started);
                TopicCounts fromTopics = topics == null ? null : new TopicCounts(topics, campaignId)) {
            while (true) {
                counts = fromTopics != null ? fromTopics.poll(expected) : poll(campaignId, expected, counts);
                display.show(counts);
                if (counts.finished() || System.nanoTime() > deadline) {
                    return counts;
                }
                LockSupport.parkNanos(POLL.toNanos());
                if (Thread.interrupted()) {
                    return counts;
                }
            }
        }
    }

    private CampaignCounts poll(String campaignId, long expected, CampaignCounts last) {
        try {
            JsonNode view = java.util.Objects.requireNonNull(status).campaign(campaignId).orElse(null);
            return CampaignCounts.of(view, expected);
        } catch (RemoteException e) {
            console.printf("status service: %s (retrying)%n", e.getMessage());
            return last;
        }
    }

    private interface Display extends AutoCloseable {
        void show(CampaignCounts counts);

        @Override
        void close();
    }

    private static final class BarDisplay implements Display {
        private final ProgressBar bar;

        BarDisplay(String campaignId, long expected) {
            bar = new ProgressBarBuilder().setTaskName("campaign " + campaignId).setInitialMax(Math.max(1, expected))
                    .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setUpdateIntervalMillis(500).continuousUpdate()
                    .build();
        }

        @Override
        public void show(CampaignCounts counts) {
            bar.maxHint(Math.max(1, counts.size()));
            bar.stepTo(counts.done());
            bar.setExtraMessage(counts.states());
        }

        @Override
        public void close() {
            bar.close();
        }
    }

    private final class PlainDisplay implements Display {
        private final long started;
        private @Nullable String lastLine;
        private long lastPrinted;

        PlainDisplay(long started) {
            this.started = started;
            this.lastPrinted = started - PLAIN_MAX.toNanos();
        }

        @Override
        public void show(CampaignCounts counts) {
            long now = System.nanoTime();
            String line = counts.done() + "/" + counts.size() + " done: " + counts.states();
            boolean changed = !line.equals(lastLine);
            if (changed && now - lastPrinted >= PLAIN_MIN.toNanos() || now - lastPrinted >= PLAIN_MAX.toNanos()
                    || counts.finished() && changed) {
                console.printf("[%5d s] %s%s%n", Duration.ofNanos(now - started).toSeconds(), line, eta(counts, now));
                lastLine = line;
                lastPrinted = now;
            }
        }

        private String eta(CampaignCounts counts, long now) {
            if (counts.done() == 0 || counts.finished()) {
                return "";
            }
            double perRequest = (double) (now - started) / counts.done();
            return ", ETA " + Duration.ofNanos((long) (perRequest * counts.pending())).toSeconds() + " s";
        }

        @Override
        public void close() {
            // plain lines need no cleanup
        }
    }
}
