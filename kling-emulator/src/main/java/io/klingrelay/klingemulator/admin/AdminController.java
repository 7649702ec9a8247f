package io.klingrelay.klingemulator.admin;

import io.klingrelay.klingemulator.account.ResourcePacks;
import io.klingrelay.klingemulator.asset.AssetService;
import io.klingrelay.klingemulator.callback.CallbackSender;
import io.klingrelay.klingemulator.config.EmulatorClock;
import io.klingrelay.klingemulator.config.EmulatorProperties.Pack;
import io.klingrelay.klingemulator.config.EmulatorSettings;
import io.klingrelay.klingemulator.config.SettingsPatch;
import io.klingrelay.klingemulator.config.SettingsView;
import io.klingrelay.klingemulator.fault.FaultInjector;
import io.klingrelay.klingemulator.fault.FaultPlan;
import io.klingrelay.klingemulator.stats.EmulatorStats;
import io.klingrelay.klingemulator.stats.StatsView;
import io.klingrelay.klingemulator.stats.TaskTimeline;
import io.klingrelay.klingemulator.task.SlotLimiter;
import io.klingrelay.klingemulator.task.Task;
import io.klingrelay.klingemulator.task.TaskData;
import io.klingrelay.klingemulator.task.TaskRenderer;
import io.klingrelay.klingemulator.task.TaskStatus;
import io.klingrelay.klingemulator.task.TaskStore;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
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
    private final FaultInjector faults;
    private final TaskTimeline timeline;
    private final ResourcePacks packs;
    private final EmulatorClock clock;

    public AdminController(EmulatorStats stats, EmulatorSettings settings, TaskStore store, SlotLimiter slots,
            AssetService assets, CallbackSender callbacks, TaskRenderer renderer, FaultInjector faults,
            TaskTimeline timeline, ResourcePacks packs, EmulatorClock clock) {
        this.clock = clock;
        this.faults = faults;
        this.timeline = timeline;
        this.packs = packs;
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

    /**
     * Clears tasks, slots, counters, the timeline, fault plans and cached assets and sets the clock back to system
     * time; settings stay as they are.
     */
    @PostMapping("/reset")
    ResponseEntity<Void> reset() {
        clock.reset();
        store.clear();
        slots.reset();
        stats.reset();
        assets.clear();
        callbacks.reset();
        timeline.clear();
        faults.clear();
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/faults")
    Map<String, Object> faults() {
        return faults.view();
    }

    /** Replaces the global fault plan (accounts with their own plan keep it). */
    @PutMapping("/faults")
    Map<String, Object> putGlobalFaults(@RequestBody FaultPlan plan) {
        faults.setGlobal(plan);
        return faults.view();
    }

    /** Removes every fault plan. */
    @DeleteMapping("/faults")
    Map<String, Object> clearFaults() {
        faults.clear();
        return faults.view();
    }

    @PutMapping("/accounts/{id}/faults")
    ResponseEntity<Map<String, Object>> putAccountFaults(@PathVariable String id, @RequestBody FaultPlan plan) {
        if (settings.concurrency(id).isEmpty()) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", "unknown account " + id));
        }
        faults.setAccount(id, plan);
        return ResponseEntity.ok(faults.view());
    }

    @DeleteMapping("/accounts/{id}/faults")
    Map<String, Object> clearAccountFaults(@PathVariable String id) {
        faults.clearAccount(id);
        return faults.view();
    }

    /** Replaces the account's resource packs; {@code []} = unlimited units. */
    @PutMapping("/accounts/{id}/packs")
    ResponseEntity<Object> putPacks(@PathVariable String id, @RequestBody List<Pack> newPacks) {
        if (settings.concurrency(id).isEmpty()) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", "unknown account " + id));
        }
        packs.replace(id, newPacks);
        return ResponseEntity.ok(packs.infos(id));
    }

    /** Task state changes, oldest first; filter by {@code task_id} and/or {@code account}. */
    @GetMapping("/timeline")
    List<TaskTimeline.Event> timeline(@RequestParam(name = "task_id", required = false) @Nullable String taskId,
            @RequestParam(name = "account", required = false) @Nullable String account,
            @RequestParam(name = "limit", defaultValue = "1000") int limit) {
        return timeline.events(taskId, account, Math.max(1, limit));
    }

    /** The console's "send test callback": 202, or 429 within 6 s of the previous one. */
    @PostMapping("/test-callback")
    ResponseEntity<Map<String, Object>> testCallback(@RequestBody TestCallback request) {
        boolean sent = callbacks.sendTestCallback(URI.create(request.url()));
        return sent ? ResponseEntity.accepted().body(Map.of("sent", true))
                : ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).body(Map.of("sent", false));
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
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            CountingDigestStream out = new CountingDigestStream(digest);
            assets.writeTo(task, index, out, 0);
            return new AdminTaskView.Asset(renderer.assetUrl(task, index), HexFormat.of().formatHex(digest.digest()),
                    out.count);
        } catch (NoSuchAlgorithmException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Hashes what is written and counts it, keeping nothing (assets may be gigabytes). */
    private static final class CountingDigestStream extends OutputStream {
        private final MessageDigest digest;
        private long count;

        CountingDigestStream(MessageDigest digest) {
            this.digest = digest;
        }

        @Override
        public void write(int b) {
            digest.update((byte) b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            digest.update(b, off, len);
            count += len;
        }
    }

    /** @param url where to POST the test callback */
    record TestCallback(String url) {
    }

    /** @param concurrency new slot limit, &gt;= 1 */
    record ConcurrencyChange(int concurrency) {
    }
}
