package io.klingrelay.klingemulator.asset;

import io.klingrelay.klingemulator.product.OutputKind;
import io.klingrelay.klingemulator.task.Task;
import org.springframework.stereotype.Component;

/** The bytes of a task's outputs, generated on first use and cached. */
@Component
public class AssetService {

    private final AssetGenerator generator;
    private final AssetCache cache;

    public AssetService(AssetGenerator generator, AssetCache cache) {
        this.generator = generator;
        this.cache = cache;
    }

    public byte[] bytes(Task task, int index) {
        return cache.get(task.taskId(), index, () -> generate(task, index));
    }

    public void evict(String taskId) {
        cache.evict(taskId);
    }

    public void clear() {
        cache.clear();
    }

    private byte[] generate(Task task, int index) {
        if (task.product().output() == OutputKind.IMAGE) {
            return generator.png(task.taskId(), index, task.spec().prompt(), task.spec().aspectRatio());
        }
        return generator.mp4(task.taskId(), index, task.spec().prompt());
    }
}
