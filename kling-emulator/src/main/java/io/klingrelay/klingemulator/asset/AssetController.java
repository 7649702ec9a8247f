package io.klingrelay.klingemulator.asset;

import io.klingrelay.klingemulator.asset.AssetUrlSigner.Verdict;
import io.klingrelay.klingemulator.task.Task;
import io.klingrelay.klingemulator.task.TaskStatus;
import io.klingrelay.klingemulator.task.TaskStore;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves result files like Kling's CDN: a missing or wrong signature → 403, past {@code Expires} → 403,
 * a purged (evicted) task or unknown file → 404. No Kling envelope here; CDNs answer plain HTTP.
 */
@RestController
public class AssetController {

    private static final Pattern FILE = Pattern.compile("(\\d{1,3})\\.(mp4|png)");

    private final AssetUrlSigner signer;
    private final TaskStore store;
    private final AssetService assets;

    public AssetController(AssetUrlSigner signer, TaskStore store, AssetService assets) {
        this.signer = signer;
        this.store = store;
        this.assets = assets;
    }

    @GetMapping("/assets/{taskId}/{file}")
    ResponseEntity<byte[]> asset(
            @PathVariable String taskId,
            @PathVariable String file,
            @RequestParam(name = "Expires", required = false) Long expires,
            @RequestParam(name = "Signature", required = false) String signature,
            @RequestParam(name = "Key-Pair-Id", required = false) String keyPairId) {
        if (expires == null || signature == null || keyPairId == null) {
            return status(HttpStatus.FORBIDDEN);
        }
        Verdict verdict = signer.verify(taskId + "/" + file, expires, signature, keyPairId);
        if (verdict != Verdict.VALID) {
            return status(HttpStatus.FORBIDDEN);
        }
        Matcher matcher = FILE.matcher(file);
        Optional<Task> task = store.get(taskId).filter(t -> t.status() == TaskStatus.SUCCEED);
        if (!matcher.matches() || task.isEmpty() || !servable(task.get(), matcher)) {
            return status(HttpStatus.NOT_FOUND);
        }
        int index = Integer.parseInt(matcher.group(1));
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(task.get().product().output().contentType()))
                .body(assets.bytes(task.get(), index));
    }

    private static boolean servable(Task task, Matcher matcher) {
        int index = Integer.parseInt(matcher.group(1));
        return index < task.spec().outputs() && task.product().output().extension().equals(matcher.group(2));
    }

    private static ResponseEntity<byte[]> status(HttpStatus status) {
        return ResponseEntity.status(status).build();
    }
}
