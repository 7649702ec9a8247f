package io.klingrelay.klingemulator.admin;

import io.klingrelay.klingemulator.asset.AssetService;
import io.klingrelay.klingemulator.callback.CallbackSender;
import io.klingrelay.klingemulator.config.EmulatorSettings;
import io.klingrelay.klingemulator.config.SettingsPatch;
import io.klingrelay.klingemulator.config.SettingsView;
import io.klingrelay.klingemulator.task.SlotLimiter;
import io.klingrelay.klingemulator.task.Task;
import io.klingrelay.klingemulator.task.TaskData;
import io.klingrelay.klingemulator.task.TaskRenderer;
import io.klingrelay.klingemulator.task.TaskStatus;
import io.klingrelay.klingemulator.task.TaskStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Test and operator controls, no auth: stats, reset, run-time settings, per-task asset digests. */
@RestController
@RequestMapping("/admin")
public class AdminController {

    private final EmulatorStats stats;
    private final EmulatorSettings settings;
    private final TaskStore store;
    private final SlotLimiter slots;
    private final AssetService assets;
    private final CallbackSender callbacks;
    private final TaskRenderer renderer;

    public AdminController(EmulatorStats stats, EmulatorSettings settings, TaskStore store, SlotLimiter slots,
            AssetService assets, CallbackSender callbacks, TaskRenderer renderer) {
        this.stats = stats;
        this.settings = settings;
        this.store = store;
        this.slots = slots;
        this.assets = assets;
        this.callbacks = callbacks;
        this.renderer = renderer;
    }

    @GetMapping("/stats")
    StatsView stats() {
        return stats.view();
    }

    /** Clears tasks, slots, counters and cached assets; settings stay as they are. */
    @PostMapping("/reset")
    ResponseEntity<Void> reset() {
        store.clear();
        slots.reset();
        stats.reset();
        assets.clear();
        callbacks.reset();
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/settings")
    SettingsView settings() {
        return settings.view();
    }

    @PatchMapping("/settings")
    SettingsView patchSettings(@RequestBody SettingsPatch patch) {
        settings.apply(patch);
        return settings.view();
    }

    @PutMapping("/accounts/{id}/concurrency")
    ResponseEntity<Map<String, Object>> concurrency(@PathVariable String id, @RequestBody ConcurrencyChange change) {
        if (!settings.setConcurrency(id, change.concurrency())) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", "unknown account " + id));
        }
        return ResponseEntity.ok(Map.of("account", id, "concurrency", change.concurrency()));
    }

    @GetMapping("/tasks/{taskId}")
    ResponseEntity<AdminTaskView> task(@PathVariable String taskId) {
        return store.get(taskId).map(this::view).map(ResponseEntity::ok)
                .orElseGet(() -> ResponseEntity.notFound().build());
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Map<String, String>> badRequest(IllegalArgumentException e) {
        return ResponseEntity.badRequest().body(Map.of("error", String.valueOf(e.getMessage())));
    }

    private AdminTaskView view(Task task) {
        List<AdminTaskView.Asset> assetList = task.status() != TaskStatus.SUCCEED ? List.of()
                : IntStream.range(0, task.spec().outputs()).mapToObj(i -> asset(task, i)).toList();
        TaskData data = renderer.render(task);
        return new AdminTaskView(task.accountId(), task.product().path(), data, assetList);
    }

    private AdminTaskView.Asset asset(Task task, int index) {
        byte[] bytes = assets.bytes(task, index);
        return new AdminTaskView.Asset(renderer.assetUrl(task, index), sha256(bytes), bytes.length);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @param concurrency new slot limit, &gt;= 1 */
    record ConcurrencyChange(int concurrency) {
    }
}
