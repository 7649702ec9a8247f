package io.klingrelay.klingemulator.task;

import io.klingrelay.klingemulator.spec.OutputKind;
import io.klingrelay.klingemulator.spec.Product;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * In-memory tasks with the indexes the API needs: by {@code task_id}, by {@code external_task_id}
 * (per account, and per account × product for queries; the newest task wins) and newest-first per
 * account × product for lists. Memory stays bounded because {@link #evictIf} drops expired tasks.
 */
@Component
public class TaskStore {

    private final Map<String, Task> tasks = new ConcurrentHashMap<>();
    private final Map<AccountExternalId, String> byAccountExternalId = new ConcurrentHashMap<>();
    private final Map<ProductExternalId, String> byProductExternalId = new ConcurrentHashMap<>();
    private final Map<AccountProduct, NavigableMap<Long, String>> lists = new ConcurrentHashMap<>();
    private final Map<String, String> byOutputId = new ConcurrentHashMap<>();
    private final Map<String, NavigableMap<Long, String>> byAccount = new ConcurrentHashMap<>();

    /**
     * Claims {@code externalTaskId} for {@code taskId} unless another task of the account holds it.
     *
     * @return the task id already holding it, or null when the claim succeeded
     */
    public @Nullable String claimExternalId(String accountId, String externalTaskId, String taskId) {
        return byAccountExternalId.putIfAbsent(new AccountExternalId(accountId, externalTaskId), taskId);
    }

    /** Points {@code externalTaskId} at a newer task (duplicate policy accept-new). */
    public void reassignExternalId(String accountId, String externalTaskId, String taskId) {
        byAccountExternalId.put(new AccountExternalId(accountId, externalTaskId), taskId);
    }

    /** Undoes a claim whose create failed afterwards (e.g. 1303). */
    public void releaseExternalId(String accountId, String externalTaskId, String taskId) {
        byAccountExternalId.remove(new AccountExternalId(accountId, externalTaskId), taskId);
    }

    public void add(Task task) {
        tasks.put(task.taskId(), task);
        String externalTaskId = task.spec().externalTaskId();
        if (externalTaskId != null) {
            byProductExternalId.put(new ProductExternalId(task.accountId(), task.product().path(), externalTaskId), task.taskId());
        }
        lists.computeIfAbsent(new AccountProduct(task.accountId(), task.product().path()), key -> new ConcurrentSkipListMap<>())
                .put(-task.sequence(), task.taskId());
        if (task.product().output() == OutputKind.VIDEO) {
            task.outputIds().forEach(id -> byOutputId.put(id, task.taskId()));
        }
        byAccount.computeIfAbsent(task.accountId(), key -> new ConcurrentSkipListMap<>()).put(task.sequence(), task.taskId());
    }

    /** @return the task of {@code accountId} with this {@code task_id}, under any product (2026 batch query) */
    public Optional<Task> findOfAccount(String accountId, String taskId) {
        return get(taskId).filter(task -> task.accountId().equals(accountId));
    }

    /**
     * @return the task of {@code accountId} holding {@code externalTaskId} under any product (2026 batch query): the
     *     newest under duplicate policy accept-new
     */
    public Optional<Task> findByAccountExternalId(String accountId, String externalTaskId) {
        String taskId = byAccountExternalId.get(new AccountExternalId(accountId, externalTaskId));
        return Optional.ofNullable(taskId == null ? null : tasks.get(taskId))
                .filter(task -> task.accountId().equals(accountId));
    }

    /**
     * The account's tasks of every product, newest first, starting below a sequence number (2026 cursor listing).
     * Tasks are added in sequence order ({@code TaskService} serialises it), so a reader sees a prefix of them and
     * a listing continued from {@code belowSequence} neither repeats nor skips a task.
     *
     * @param belowSequence exclusive upper bound of {@link Task#sequence()}; {@code Long.MAX_VALUE} = from the newest
     * @param accept which tasks to keep (time window, filters)
     * @param limit at most this many plus one (the extra one tells the caller there is more)
     * @return up to {@code limit + 1} tasks
     */
    public List<Task> accountTasksBelow(String accountId, long belowSequence, Predicate<Task> accept,
            int limit) {
        NavigableMap<Long, String> ids = byAccount.get(accountId);
        if (ids == null) {
            return List.of();
        }
        return ids.headMap(belowSequence, false).descendingMap().values().stream().map(tasks::get)
                .filter(task -> task != null && accept.test(task)).limit(limit + 1L).toList();
    }

    /** @return the task of {@code accountId} whose result video has this {@code id} (any video product) */
    public Optional<Task> findByVideoId(String accountId, String videoId) {
        String taskId = byOutputId.get(videoId);
        return Optional.ofNullable(taskId == null ? null : tasks.get(taskId)).filter(t -> t.accountId().equals(accountId));
    }

    public Optional<Task> get(String taskId) {
        return Optional.ofNullable(tasks.get(taskId));
    }

    /** @return the task visible to {@code accountId} under {@code product}: path id as task_id, then as external id */
    public Optional<Task> find(String accountId, Product product, String id) {
        Task task = tasks.get(id);
        if (task != null && visible(task, accountId, product)) {
            return Optional.of(task);
        }
        return findByExternalId(accountId, product, id);
    }

    public Optional<Task> findByExternalId(String accountId, Product product, String externalTaskId) {
        String taskId = byProductExternalId.get(new ProductExternalId(accountId, product.path(), externalTaskId));
        return Optional.ofNullable(taskId == null ? null : tasks.get(taskId)).filter(t -> visible(t, accountId, product));
    }

    /** @return one page, newest first; empty past the end */
    public List<Task> page(String accountId, Product product, int pageNum, int pageSize) {
        NavigableMap<Long, String> ids = lists.get(new AccountProduct(accountId, product.path()));
        if (ids == null) {
            return List.of();
        }
        return ids.values().stream().skip((long) (pageNum - 1) * pageSize).limit(pageSize)
                .map(tasks::get).filter(t -> t != null).toList();
    }

    /**
     * Applies a transition atomically.
     *
     * @return the updated task; empty when the task is gone (reset, eviction) or not in {@code from}
     */
    public Optional<Task> transition(String taskId, TaskStatus from, TaskStatus to, long now, String message) {
        Task[] updated = new Task[1];
        tasks.computeIfPresent(taskId, (id, task) -> {
            if (task.status() != from) {
                return task;
            }
            updated[0] = task.moveTo(to, now, message);
            return updated[0];
        });
        return Optional.ofNullable(updated[0]);
    }

    /** Removes every task matching {@code expired}, with its index entries, and reports each removal. */
    public void evictIf(java.util.function.Predicate<Task> expired, Consumer<Task> onEvicted) {
        for (Task task : tasks.values()) {
            if (expired.test(task) && tasks.remove(task.taskId(), task)) {
                unindex(task);
                onEvicted.accept(task);
            }
        }
    }

    public int size() {
        return tasks.size();
    }

    public void clear() {
        tasks.clear();
        byAccountExternalId.clear();
        byProductExternalId.clear();
        lists.clear();
        byOutputId.clear();
        byAccount.clear();
    }

    private void unindex(Task task) {
        task.outputIds().forEach(id -> byOutputId.remove(id, task.taskId()));
        String externalTaskId = task.spec().externalTaskId();
        if (externalTaskId != null) {
            byAccountExternalId.remove(new AccountExternalId(task.accountId(), externalTaskId), task.taskId());
            byProductExternalId.remove(new ProductExternalId(task.accountId(), task.product().path(), externalTaskId), task.taskId());
        }
        NavigableMap<Long, String> ids = lists.get(new AccountProduct(task.accountId(), task.product().path()));
        if (ids != null) {
            ids.remove(-task.sequence(), task.taskId());
        }
        NavigableMap<Long, String> ofAccount = byAccount.get(task.accountId());
        if (ofAccount != null) {
            ofAccount.remove(task.sequence(), task.taskId());
        }
    }

    private static boolean visible(Task task, String accountId, Product product) {
        return task.accountId().equals(accountId) && task.product().path().equals(product.path());
    }

    private record AccountExternalId(String accountId, String externalTaskId) {
    }

    private record ProductExternalId(String accountId, String productPath, String externalTaskId) {
    }

    private record AccountProduct(String accountId, String productPath) {
    }
}
