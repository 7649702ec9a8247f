package io.klingrelay.klingemulator.stats;

import io.klingrelay.klingemulator.task.Task;
import io.klingrelay.klingemulator.task.TaskEventListener;
import io.klingrelay.klingemulator.task.TaskEvents;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * The last {@value #CAPACITY} task state changes, oldest first, for {@code GET /admin/timeline}: judges can
 * replay what each account's tasks did and when. Bounded, so a load test cannot grow it without limit.
 */
@Component
@Order(TaskEvents.TIMELINE)
public class TaskTimeline implements TaskEventListener {

    static final int CAPACITY = 20_000;

    private final Deque<Event> events = new ArrayDeque<>();

    /** Records {@code task}'s new status at its {@code updated_at}. */
    @Override
    public void statusChanged(Task task) {
        record(task.updatedAt(), task.taskId(), task.accountId(), task.product().path(), task.status().wire());
    }

    public synchronized void record(long at, String taskId, String accountId, String product, String status) {
        if (events.size() == CAPACITY) {
            events.removeFirst();
        }
        events.addLast(new Event(at, taskId, accountId, product, status));
    }

    /**
     * @param taskId only this task, or all when null
     * @param accountId only this account, or all when null
     * @param limit at most this many, the newest ones
     */
    public synchronized List<Event> events(@Nullable String taskId, @Nullable String accountId, int limit) {
        List<Event> matching = events.stream()
                .filter(e -> taskId == null || e.taskId().equals(taskId))
                .filter(e -> accountId == null || e.accountId().equals(accountId))
                .toList();
        return matching.subList(Math.max(0, matching.size() - limit), matching.size());
    }

    public synchronized void clear() {
        events.clear();
    }

    /**
     * @param at epoch ms of the change ({@code updated_at})
     * @param taskId the task
     * @param accountId its account
     * @param product its base path
     * @param status the new {@code task_status}
     */
    public record Event(long at, String taskId, String accountId, String product, String status) {
    }
}
