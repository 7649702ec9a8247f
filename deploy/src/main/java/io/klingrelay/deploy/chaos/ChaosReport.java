package io.klingrelay.deploy.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The figures of one chaos run. Every figure but the wall time and the heap growth must be 0 for
 * the run to pass; {@link #details()} names the requests behind a non-zero figure.
 *
 * @param requestsLost             valid requests with no outcome ({@code assets.archived} / {@code requests.failed})
 * @param twoOutcomes              requests with two outcome events (different event ids, or one on each topic)
 * @param duplicateTasks           Kling tasks created beyond the first for one {@code external_task_id}
 *                                 (the emulator's {@code duplicateExternalTaskIds}, policy {@code accept-new})
 * @param permitsHeld              permits still held in Redis at the end, over every account
 * @param overLimit                running-task slots above an account's limit at the emulator's high-water mark,
 *                                 summed over accounts
 * @param callbacksAccepted        forged callbacks (bad token, foreign task id, malformed, oversized, absurd
 *                                 headers) answered 2xx; -1 when the hostile pass did not run
 * @param callbacks5xx             hostile callbacks answered 5xx (or whose connection failed); -1 when not run
 * @param replayEvents             events published about the forged and replayed requests while the hostile
 *                                 callbacks ran (they had all ended: replays must change nothing); -1 when not run
 * @param webhookHeapGrowthMb      the webhook receiver's heap after the hostile pass minus before, MB (NaN when
 *                                 not run or not readable)
 * @param hostileRecordsWithoutOne hostile records without exactly one {@code requests.failed}; -1 when none were sent
 * @param wallTime                 from the stack's start to the end of the checks
 * @param details                  one line per offending request or notable observation
 */
public record ChaosReport(long requestsLost, long twoOutcomes, long duplicateTasks, long permitsHeld, long overLimit,
        long callbacksAccepted, long callbacks5xx, long replayEvents, double webhookHeapGrowthMb,
        long hostileRecordsWithoutOne, Duration wallTime, List<String> details) {

    public ChaosReport {
        Objects.requireNonNull(wallTime, "wallTime");
        details = List.copyOf(details);
    }

    /** @return whether every figure but the time (and the heap growth, which is only reported) is 0 */
    public boolean passed() {
        return requestsLost == 0 && twoOutcomes == 0 && duplicateTasks == 0 && permitsHeld == 0 && overLimit == 0
                && callbacksAccepted <= 0 && callbacks5xx <= 0 && replayEvents <= 0 && hostileRecordsWithoutOne <= 0;
    }

    /** @return the figure lines, exactly as the command prints them */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add("requests lost (no outcome): " + requestsLost);
        lines.add("requests with two outcomes: " + twoOutcomes);
        lines.add("Kling tasks per external_task_id > 1: " + duplicateTasks);
        lines.add("permits still held at the end: " + permitsHeld);
        lines.add("over-limit running tasks: " + overLimit);
        if (callbacksAccepted >= 0) {
            lines.add("callbacks accepted: " + callbacksAccepted);
            lines.add("callbacks answered 5xx: " + callbacks5xx);
            lines.add("events published by hostile callbacks: " + replayEvents);
            lines.add("webhook heap growth: " + (Double.isNaN(webhookHeapGrowthMb) ? "unknown"
                    : String.format(Locale.ROOT, "%.1f MB", webhookHeapGrowthMb)));
        }
        if (hostileRecordsWithoutOne >= 0) {
            lines.add("hostile records without exactly one requests.failed: " + hostileRecordsWithoutOne);
        }
        lines.add("wall time: " + format(wallTime));
        return lines;
    }

    /**
     * @param duration a duration
     * @return e.g. {@code 5m12s}
     */
    static String format(Duration duration) {
        long seconds = duration.toSeconds();
        return seconds >= 60 ? seconds / 60 + "m" + seconds % 60 + "s" : seconds + "s";
    }
}
