package io.klingrelay.coordination;

import static org.assertj.core.api.Assertions.assertThat;

import io.klingrelay.common.event.Priority;
import io.klingrelay.common.event.Product;
import io.klingrelay.coordination.dispatch.CreatedTask;
import io.klingrelay.coordination.dispatch.Dispatches;
import io.klingrelay.coordination.dispatch.ParkedRequest;
import io.klingrelay.coordination.dispatch.RecordResult;
import io.klingrelay.coordination.dispatch.RequestQueue;
import io.klingrelay.coordination.dispatch.TakeResult;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** Test fixture: records a text-to-video task the way the submitter does (park, take with a permit, record). */
public final class RecordedTasks {

    private RecordedTasks() {
    }

    /**
     * @param queue       the waiting room
     * @param dispatches  the dispatch writes
     * @param accountId   the account (a fresh one per test keeps the permits apart)
     * @param requestId   the request id
     * @param taskId      the Kling task id to record
     * @param campaignId  the campaign, if any
     * @param submittedAt the submission time (also the arrival time)
     * @param permitLease the permit lease
     */
    public static void record(RequestQueue queue, Dispatches dispatches, String accountId, String requestId,
            String taskId, @Nullable String campaignId, Instant submittedAt, Duration permitLease) {
        assertThat(queue.park(new ParkedRequest(accountId, requestId, Priority.INTERACTIVE, submittedAt.toEpochMilli(),
                "{}", 1, campaignId))).isTrue();
        TakeResult taken = queue.take(accountId, 1000, new RequestQueue.Leases(permitLease, Duration.ofMinutes(1)));
        assertThat(taken).isInstanceOf(TakeResult.Taken.class);
        assertThat(dispatches.recordTask(((TakeResult.Taken) taken).dispatch(),
                new CreatedTask(taskId, Product.TEXT_TO_VIDEO, campaignId, submittedAt, 1), permitLease))
                .isEqualTo(RecordResult.RECORDED);
    }
}
