package io.klingrelay.klingemulator.task;

import io.klingrelay.klingemulator.account.ResourcePacks;
import io.klingrelay.klingemulator.config.EmulatorProperties;
import io.klingrelay.klingemulator.config.EmulatorProperties.DuplicatePolicy;
import io.klingrelay.klingemulator.config.EmulatorSettings;
import io.klingrelay.klingemulator.fault.FaultInjector;
import io.klingrelay.klingemulator.spec.Product;
import io.klingrelay.klingemulator.spec.TaskSpec;
import io.klingrelay.klingemulator.wire.KlingApiException;
import io.klingrelay.klingemulator.wire.KlingCode;
import java.time.Clock;
import java.util.List;
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
    private final TaskEvents events;
    private final Clock clock;
    private final FaultInjector faults;
    private final ResourcePacks packs;
    private final String failureMessage;
    private final SlotScope scope;
    private final AtomicLong sequence = new AtomicLong();
    private final Object addLock = new Object();

    public TaskService(TaskStore store, SlotLimiter slots, TaskIds ids, TaskLifecycle lifecycle,
            EmulatorSettings settings, TaskEvents events, Clock clock, FaultInjector faults, ResourcePacks packs,
            EmulatorProperties properties, SlotScope scope) {
        this.scope = scope;
        this.store = store;
        this.slots = slots;
        this.ids = ids;
        this.lifecycle = lifecycle;
        this.settings = settings;
        this.events = events;
        this.clock = clock;
        this.faults = faults;
        this.packs = packs;
        this.failureMessage = properties.failures().message();
    }

    /**
     * @return the new task, or the earlier one under duplicate policy {@code RETURN_EXISTING}
     * @throws KlingApiException an injected account code (1100–1103, 1304), 1201 on a bad body or a rejected
     *     duplicate, 1102 when the account's packs are used up, 1303 over the slot limit
     */
    public Task create(String accountId, Product product, JsonNode body) {
        faults.accountCode(accountId).ifPresent(code -> {
            throw new KlingApiException(KlingCode.of(code), accountMessage(code));
        });
        TaskSpec validated = product.validate(accountId, body);
        TaskSpec spec = validated.withWatermark(validated.watermark() || watermark(body));
        String taskId = ids.next();
        String externalTaskId = spec.externalTaskId();
        if (externalTaskId != null) {
            Task existing = claimExternalId(accountId, product, externalTaskId, taskId);
            if (existing != null) {
                return existing;
            }
        }
        try {
            packs.consume(accountId, product.packType(), Units.of(product, spec).doubleValue());
        } catch (KlingApiException e) {
            releaseClaim(accountId, externalTaskId, taskId);
            throw e;
        }
        if (!slots.tryAcquire(accountId, scope.key(accountId, product, spec), spec.slots(), scope.limit(accountId, product))) {
            releaseClaim(accountId, externalTaskId, taskId);
            packs.refund(accountId, product.packType(), Units.of(product, spec).doubleValue());
            events.capacityRejected(accountId);
            throw new KlingApiException(KlingCode.OVER_CONCURRENCY, "parallel task over resource pack limit");
        }
        Task task;
        // one at a time: sequence numbers become visible in order, so a cursor listing never skips a task (§15)
        synchronized (addLock) {
            task = newTask(taskId, accountId, product, spec);
            store.add(task);
        }
        events.created(accountId);
        log.debug("task {} created for account {} on {}", taskId, accountId, product.path());
        lifecycle.start(task);
        return task;
    }

    private void releaseClaim(String accountId, @Nullable String externalTaskId, String taskId) {
        if (externalTaskId != null) {
            store.releaseExternalId(accountId, externalTaskId, taskId);
        }
    }

    private static boolean watermark(JsonNode body) {
        return body.path("watermark_info").path("enabled").asBoolean(false);
    }

    private static String accountMessage(int code) {
        return switch (code) {
            case 1100 -> "Account abnormal status";
            case 1101 -> "Account in arrears";
            case 1102 -> "Account balance not enough";
            case 1103 -> "No permission to access this resource";
            default -> "IP whitelist policy triggered";
        };
    }

    /** @return the earlier task to hand back, or null to go on creating */
    private @Nullable Task claimExternalId(String accountId, Product product, String externalTaskId, String taskId) {
        String holder = store.claimExternalId(accountId, externalTaskId, taskId);
        if (holder == null) {
            return null;
        }
        events.duplicateExternalTaskId(accountId);
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
        return new Task(taskId, accountId, product, spec, TaskStatus.SUBMITTED, "", now, now,
                failureMessage(accountId, spec), outputIds, sequence.incrementAndGet());
    }

    /** @return the message the task will fail with, or null when it will succeed */
    private @Nullable String failureMessage(String accountId, TaskSpec spec) {
        if (spec.failureReason() != null) {
            return spec.failureReason();
        }
        String marker = settings.failureMarker();
        boolean marked = !marker.isEmpty() && spec.prompt().contains(marker);
        if (marked || FaultInjector.hit(settings.failureRate())) {
            return failureMessage;
        }
        return faults.rollTaskFailure(accountId, failureMessage).orElse(null);
    }

}
