package io.klingrelay.klingemulator.asset;

import io.klingrelay.klingemulator.fault.FaultInjector;
import io.klingrelay.klingemulator.fault.FaultPlan.AssetFault;
import io.klingrelay.klingemulator.task.AssetUrlSigner;
import io.klingrelay.klingemulator.task.AssetUrlSigner.Verdict;
import io.klingrelay.klingemulator.task.Task;
import io.klingrelay.klingemulator.task.TaskStatus;
import io.klingrelay.klingemulator.task.TaskStore;
import java.time.Clock;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * Serves result files like Kling's CDN: a missing or wrong signature → 403, past {@code Expires} → 403,
 * a purged (evicted) task or unknown file → 404. No Kling envelope here; CDNs answer plain HTTP. The
 * body is streamed (large padded videos), and the account's asset faults apply: an injected status,
 * early expiry (403) and a throttled download. {@code <index>-wm.<ext>} is the watermarked copy.
 */
@RestController
public class AssetController {

    private static final Pattern FILE = Pattern.compile("(\\d{1,3})(-wm)?\\.(mp4|png)");

    private final AssetUrlSigner signer;
    private final TaskStore store;
    private final AssetService assets;
    private final FaultInjector faults;
    private final Clock clock;

    public AssetController(AssetUrlSigner signer, TaskStore store, AssetService assets, FaultInjector faults,
            Clock clock) {
        this.signer = signer;
        this.store = store;
        this.assets = assets;
        this.faults = faults;
        this.clock = clock;
    }

    @GetMapping("/assets/{taskId}/{file}")
    ResponseEntity<StreamingResponseBody> asset(
            @PathVariable String taskId,
            @PathVariable String file,
            @RequestParam(name = "Expires", required = false) @Nullable Long expires,
            @RequestParam(name = "Signature", required = false) @Nullable String signature,
            @RequestParam(name = "Key-Pair-Id", required = false) @Nullable String keyPairId) {
        if (expires == null || signature == null || keyPairId == null
                || signer.verify(taskId + "/" + file, expires, signature, keyPairId) != Verdict.VALID) {
            return status(HttpStatus.FORBIDDEN);
        }
        Matcher matcher = FILE.matcher(file);
        Optional<Task> found = store.get(taskId).filter(t -> t.status() == TaskStatus.SUCCEED);
        if (!matcher.matches() || found.isEmpty() || !servable(found.get(), matcher)) {
            return status(HttpStatus.NOT_FOUND);
        }
        Task task = found.get();
        AssetFault fault = faults.assets(task.accountId());
        if (fault != null && expiredEarly(task, fault)) {
            return status(HttpStatus.FORBIDDEN);
        }
        if (fault != null && FaultInjector.hit(fault.rate())) {
            return status(HttpStatus.valueOf(fault.status()));
        }
        int index = Integer.parseInt(matcher.group(1));
        long bytesPerSecond = fault == null ? 0 : fault.bytesPerSecond();
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(task.product().output().contentType()))
                .contentLength(assets.size(task, index))
                .body(out -> assets.writeTo(task, index, out, bytesPerSecond));
    }

    private boolean expiredEarly(Task task, AssetFault fault) {
        return fault.expireAfter() != null && clock.millis() > task.updatedAt() + fault.expireAfter().toMillis();
    }

    private static boolean servable(Task task, Matcher matcher) {
        int index = Integer.parseInt(matcher.group(1));
        boolean watermarkOk = matcher.group(2) == null || task.spec().watermark();
        return index < task.spec().outputs() && watermarkOk
                && task.product().output().extension().equals(matcher.group(3));
    }

    private static ResponseEntity<StreamingResponseBody> status(HttpStatus status) {
        return ResponseEntity.status(status).build();
    }
}
