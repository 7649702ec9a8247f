package io.klingrelay.klingemulator.api;

import io.klingrelay.klingemulator.fault.FaultInjector;
import io.klingrelay.klingemulator.fault.FaultPlan.CreateFault;
import io.klingrelay.klingemulator.spec.Product;
import io.klingrelay.klingemulator.task.Task;
import io.klingrelay.klingemulator.task.TaskService;
import io.klingrelay.klingemulator.wire.KlingApiException;
import io.klingrelay.klingemulator.wire.KlingCode;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A create on either surface: parses the body, rolls the account's create fault (1302, 1303, 5000–5002, slow or
 * "created but the reply was lost", §19 item 57) and hands the task to {@link TaskService}. Both the legacy and the
 * 2026 controllers go through here, so fault plans act on both alike.
 */
@Component
class TaskCreator {

    private static final Map<KlingCode, String> INJECTED_MESSAGES = Map.of(
            KlingCode.RATE_LIMITED, "too many requests",
            KlingCode.OVER_CONCURRENCY, "parallel task over resource pack limit",
            KlingCode.INTERNAL, "server internal error",
            KlingCode.UNAVAILABLE, "service temporarily unavailable",
            KlingCode.TIMEOUT, "server internal timeout");

    private final TaskService tasks;
    private final FaultInjector faults;
    private final JsonMapper mapper;

    TaskCreator(TaskService tasks, FaultInjector faults, JsonMapper mapper) {
        this.tasks = tasks;
        this.faults = faults;
        this.mapper = mapper;
    }

    /**
     * @return the created task (or the earlier one under duplicate policy return-existing)
     * @throws KlingApiException 1200 unreadable body, an injected code, or what {@link TaskService#create} throws
     */
    Task create(String accountId, Product product, @Nullable String body) {
        JsonNode parsed = parse(body);
        Optional<CreateFault> fault = faults.rollCreate(accountId);
        if (fault.isPresent() && !fault.get().taskCreated()) {
            throw injected(fault.get());
        }
        Task task = tasks.create(accountId, product, parsed);
        if (fault.isPresent()) {
            hold(fault.get());
            if (!fault.get().slowOnly()) {
                throw injected(fault.get());
            }
        }
        return task;
    }

    JsonNode parse(@Nullable String body) {
        if (body == null || body.isBlank()) {
            throw new KlingApiException(KlingCode.INVALID_REQUEST, "request body is missing");
        }
        try {
            return mapper.readTree(body);
        } catch (JacksonException e) {
            throw new KlingApiException(KlingCode.INVALID_REQUEST, "request body is not valid JSON");
        }
    }

    private static void hold(CreateFault fault) {
        if (fault.delay() != null) {
            LockSupport.parkNanos(fault.delay().toNanos());
        }
    }

    /** Answers the fault's code (after holding the reply for its delay when no task was created). */
    private static KlingApiException injected(CreateFault fault) {
        if (!fault.taskCreated()) {
            hold(fault);
        }
        KlingCode code = KlingCode.of(Objects.requireNonNull(fault.code()));
        return new KlingApiException(code, INJECTED_MESSAGES.getOrDefault(code, "server internal error"));
    }
}
