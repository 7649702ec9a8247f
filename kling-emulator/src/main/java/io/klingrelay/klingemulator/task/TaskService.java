package io.klingrelay.klingemulator.task;

import io.klingrelay.klingemulator.admin.EmulatorStats;
import io.klingrelay.klingemulator.api.KlingApiException;
import io.klingrelay.klingemulator.api.KlingCode;
import io.klingrelay.klingemulator.config.EmulatorProperties.DuplicatePolicy;
import io.klingrelay.klingemulator.config.EmulatorSettings;
import io.klingrelay.klingemulator.product.Product;
import io.klingrelay.klingemulator.product.TaskSpec;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;

/**
 * Creates tasks: validation, duplicate {@code external_task_id} policy, concurrency slots
 * (kling-api.md §10.3, §13), then hands the task to the {@link TaskLifecycle}.
 */
@Service
public class TaskService {

    private static final Logger log = LoggerFactory.getLogger(TaskService.class);

    private final TaskStore store;
    private final SlotLimiter slots;
    private final TaskIds ids;
    private final TaskLifecycle lifecycle;
    private final EmulatorSettings settings;
    private final EmulatorStats stats;
    private final Clock clock;
    private final AtomicLong sequence = new AtomicLong();

    public TaskService(TaskStore store, SlotLimiter slots, TaskIds ids, TaskLifecycle lifecycle,
            EmulatorSettings settings, EmulatorStats stats, Clock clock) {
        this.store = store;
        this.slots = slots;
        this.ids = ids;
        this.lifecycle = lifecycle;
        this.settings = settings;
        this.stats = stats;
        this.clock = clock;
    }

    /**
     * @return the new task, or the earlier one under duplicate policy {@code RETURN_EXISTING}
     * @throws KlingApiException 1201 on a bad body or a rejected duplicate, 1303 over the slot limit
     */
    public Task create(String accountId, Product product, JsonNode body) {
        TaskSpec spec = product.validate(body);
        String taskId = ids.next();
        String externalTaskId = spec.externalTaskId();
        if (externalTaskId != null) {
            Task existing = claimExternalId(accountId, product, externalTaskId, taskId);
            if (existing != null) {
                return existing;
            }
        }
        if (!slots.tryAcquire(accountId, spec.slots(), limitOf(accountId))) {
            if (externalTaskId != null) {
                store.releaseExternalId(accountId, externalTaskId, taskId);
            }
            stats.capacityRejected(accountId);
            throw new KlingApiException(KlingCode.OVER_CONCURRENCY, "parallel task over resource pack limit");
        }
        Task task = newTask(taskId, accountId, product, spec);
        store.add(task);
        stats.created(accountId);
        log.debug("task {} created for account {} on {}", taskId, accountId, product.path());
        lifecycle.start(task);
        return task;
    }

    /** @return the earlier task to hand back, or null to go on creating */
    private @Nullable Task claimExternalId(String accountId, Product product, String externalTaskId, String taskId) {
        String holder = store.claimExternalId(accountId, externalTaskId, taskId);
        if (holder == null) {
            return null;
        }
        stats.duplicateExternalTaskId(accountId);
        DuplicatePolicy policy = settings.duplicatePolicy();
        if (policy == DuplicatePolicy.ACCEPT_NEW) {
            store.reassignExternalId(accountId, externalTaskId, taskId);
            return null;
        }
        Task existing = store.get(holder).filter(t -> t.product().path().equals(product.path())).orElse(null);
        if (policy == DuplicatePolicy.RETURN_EXISTING && existing != null) {
            return existing;
        }
        throw KlingApiException.invalidParameter("external_task_id: must be unique within the account");
    }

    private Task newTask(String taskId, String accountId, Product product, TaskSpec spec) {
        long now = clock.millis();
        List<String> outputIds = IntStream.range(0, spec.outputs()).mapToObj(i -> ids.next()).toList();
        return new Task(taskId, accountId, product, spec, TaskStatus.SUBMITTED, "", now, now, shouldFail(spec),
                outputIds, sequence.incrementAndGet());
    }

    private boolean shouldFail(TaskSpec spec) {
        String marker = settings.failureMarker();
        boolean marked = !marker.isEmpty() && spec.prompt().contains(marker);
        return marked || ThreadLocalRandom.current().nextDouble() < settings.failureRate();
    }

    private int limitOf(String accountId) {
        return settings.concurrency(accountId).orElse(0);
    }
}
