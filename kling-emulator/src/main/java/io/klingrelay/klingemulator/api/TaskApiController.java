package io.klingrelay.klingemulator.api;

import io.klingrelay.klingemulator.auth.AuthInterceptor;
import io.klingrelay.klingemulator.config.EmulatorSettings;
import io.klingrelay.klingemulator.product.ProductRegistry;
import io.klingrelay.klingemulator.spec.Product;
import io.klingrelay.klingemulator.task.Task;
import io.klingrelay.klingemulator.task.TaskRenderer;
import io.klingrelay.klingemulator.task.TaskStore;
import io.klingrelay.klingemulator.wire.Envelope;
import io.klingrelay.klingemulator.wire.KlingApiException;
import io.klingrelay.klingemulator.wire.KlingCode;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The legacy {@code /v1} triple of every registered product (kling-api.md §5, §10): create, query by
 * task_id / external_task_id (path or {@code ?external_task_id=}), and newest-first list.
 */
@RestController
public class TaskApiController {

    static final int MAX_PAGE_NUM = 1000;
    static final int MAX_PAGE_SIZE = 500;

    private final ProductRegistry products;
    private final TaskCreator creator;
    private final TaskStore store;
    private final TaskRenderer renderer;
    private final EmulatorSettings settings;

    TaskApiController(ProductRegistry products, TaskCreator creator, TaskStore store, TaskRenderer renderer,
            EmulatorSettings settings) {
        this.products = products;
        this.creator = creator;
        this.store = store;
        this.renderer = renderer;
        this.settings = settings;
    }

    @PostMapping("/v1/{group}/{name}")
    Envelope create(@PathVariable String group, @PathVariable String name,
            @RequestAttribute(AuthInterceptor.ACCOUNT_ATTRIBUTE) String accountId,
            @RequestBody(required = false) @Nullable String body) {
        Product product = product(group, name);
        return Envelope.success(renderer.created(creator.create(accountId, product, body)));
    }

    @GetMapping("/v1/{group}/{name}/{id}")
    Envelope query(@PathVariable String group, @PathVariable String name, @PathVariable String id,
            @RequestAttribute(AuthInterceptor.ACCOUNT_ATTRIBUTE) String accountId) {
        Product product = product(group, name);
        Task task = store.find(accountId, product, id).orElseThrow(this::taskNotFound);
        return Envelope.success(renderer.render(task));
    }

    @GetMapping("/v1/{group}/{name}")
    Envelope queryOrList(@PathVariable String group, @PathVariable String name,
            @RequestAttribute(AuthInterceptor.ACCOUNT_ATTRIBUTE) String accountId,
            @RequestParam(name = "external_task_id", required = false) @Nullable String externalTaskId,
            @RequestParam(name = "pageNum", required = false) @Nullable String pageNum,
            @RequestParam(name = "pageSize", required = false) @Nullable String pageSize) {
        Product product = product(group, name);
        if (externalTaskId != null) {
            Task task = store.findByExternalId(accountId, product, externalTaskId).orElseThrow(this::taskNotFound);
            return Envelope.success(renderer.render(task));
        }
        int page = paging("pageNum", pageNum, 1, MAX_PAGE_NUM);
        int size = paging("pageSize", pageSize, 30, MAX_PAGE_SIZE);
        List<Object> data = store.page(accountId, product, page, size).stream().map(renderer::render)
                .map(Object.class::cast).toList();
        return Envelope.success(data);
    }

    private Product product(String group, String name) {
        return products.byPath("/v1/" + group + "/" + name)
                .orElseThrow(() -> new KlingApiException(KlingCode.NOT_FOUND, "resource does not exist"));
    }

    /** 404 / 1203 by default, 400 / 1201 as the other reading of §19 item 37 (run-time setting). */
    private KlingApiException taskNotFound() {
        return new KlingApiException(KlingCode.of(settings.unknownTaskCode()), "task not found");
    }

    private static int paging(String name, @Nullable String value, int defaultValue, int max) {
        if (value == null || value.isEmpty()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= 1 && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // falls through to the range message, as a bean-validation layer would
        }
        throw KlingApiException.invalidParameter(name + ": must be between 1 and " + max);
    }
}
