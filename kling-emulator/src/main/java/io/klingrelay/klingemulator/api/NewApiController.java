package io.klingrelay.klingemulator.api;

import io.klingrelay.klingemulator.auth.AuthInterceptor;
import io.klingrelay.klingemulator.newapi.NewApiProducts;
import io.klingrelay.klingemulator.task.NewTaskData;
import io.klingrelay.klingemulator.task.Task;
import io.klingrelay.klingemulator.task.TaskRenderer;
import io.klingrelay.klingemulator.task.TaskStore;
import io.klingrelay.klingemulator.wire.Envelope;
import io.klingrelay.klingemulator.wire.KlingApiException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The 2026 path-per-model API (kling-api.md §15): {@code POST /<family>/<model>} creates, {@code GET /tasks} batch
 * queries by {@code task_ids} or {@code external_task_ids}, {@code POST /tasks} lists with a cursor
 * ({@link TaskCursorListing}). Tasks run on the same engine as legacy ones; only their shape differs
 * ({@code id}, {@code status} {@code succeeded}, {@code outputs[]}, {@code billing[]}). Authentication: API key only
 * ({@link AuthInterceptor}).
 */
@RestController
public class NewApiController {

    /** Most ids one batch query takes (kling-api.md §15). */
    static final int MAX_BATCH_IDS = 500;

    private final NewApiProducts products;
    private final TaskCreator creator;
    private final TaskStore store;
    private final TaskRenderer renderer;
    private final TaskCursorListing listing;

    NewApiController(NewApiProducts products, TaskCreator creator, TaskStore store, TaskRenderer renderer,
            TaskCursorListing listing) {
        this.products = products;
        this.creator = creator;
        this.store = store;
        this.renderer = renderer;
        this.listing = listing;
    }

    /**
     * Creates a task: {@code data{id, status:"submitted", message, create_time, update_time, external_id}}.
     * An unknown model → 404 / 1203; a bad body → 400 / 1201 ({@code NewApiRequest}).
     */
    @PostMapping("/{family:text-to-video|image-to-video|omni-video|motion-control}/{model}")
    Envelope create(@PathVariable String family, @PathVariable String model,
            @RequestAttribute(AuthInterceptor.ACCOUNT_ATTRIBUTE) String accountId,
            @RequestBody(required = false) @Nullable String body) {
        Task task = creator.create(accountId, products.find(family, model), body);
        return Envelope.success(renderer.createdNewApi(task));
    }

    /**
     * Batch query: exactly one of {@code task_ids} / {@code external_task_ids}, comma-separated, 1–500 ids. The
     * account's tasks of both surfaces are found, in the order asked, each once; unknown ids are simply absent.
     *
     * @throws KlingApiException 400 / 1201 for neither or both parameters, no id, or more than 500
     */
    @GetMapping("/tasks")
    Envelope batch(@RequestAttribute(AuthInterceptor.ACCOUNT_ATTRIBUTE) String accountId,
            @RequestParam(name = "task_ids", required = false) @Nullable String taskIds,
            @RequestParam(name = "external_task_ids", required = false) @Nullable String externalTaskIds) {
        if ((taskIds == null) == (externalTaskIds == null)) {
            throw KlingApiException.invalidParameter("exactly one of task_ids and external_task_ids is required");
        }
        boolean byTaskId = taskIds != null;
        Set<String> ids = ids(byTaskId ? "task_ids" : "external_task_ids", byTaskId ? taskIds : externalTaskIds);
        BiFunction<String, String, Optional<Task>> lookup = byTaskId ? store::findOfAccount : store::findByAccountExternalId;
        Set<String> seen = new LinkedHashSet<>();
        List<NewTaskData> data = ids.stream().map(id -> lookup.apply(accountId, id)).flatMap(Optional::stream)
                .filter(task -> seen.add(task.taskId())).map(renderer::renderNewApi).toList();
        return Envelope.success(data);
    }

    /** Cursor listing: see {@link TaskCursorListing}. */
    @PostMapping("/tasks")
    Envelope list(@RequestAttribute(AuthInterceptor.ACCOUNT_ATTRIBUTE) String accountId,
            @RequestBody(required = false) @Nullable String body) {
        return Envelope.success(listing.list(accountId, body == null || body.isBlank() ? creator.parse("{}")
                : creator.parse(body)));
    }

    private static Set<String> ids(String parameter, @Nullable String value) {
        List<String> ids = Arrays.stream(value == null ? new String[0] : value.split(",")).map(String::trim)
                .filter(id -> !id.isEmpty()).toList();
        if (ids.isEmpty() || ids.size() > MAX_BATCH_IDS) {
            throw KlingApiException.invalidParameter(parameter + ": size must be between 1 and " + MAX_BATCH_IDS);
        }
        return new LinkedHashSet<>(ids);
    }
}
