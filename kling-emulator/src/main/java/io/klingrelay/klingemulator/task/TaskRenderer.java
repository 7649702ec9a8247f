package io.klingrelay.klingemulator.task;

import io.klingrelay.klingemulator.asset.AssetUrlSigner;
import io.klingrelay.klingemulator.config.EmulatorProperties;
import io.klingrelay.klingemulator.product.OutputKind;
import io.klingrelay.klingemulator.task.TaskData.ImageItem;
import io.klingrelay.klingemulator.task.TaskData.TaskInfo;
import io.klingrelay.klingemulator.task.TaskData.TaskResult;
import io.klingrelay.klingemulator.task.TaskData.VideoItem;
import java.util.List;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** Turns a {@link Task} into its wire shape; asset URLs are signed here. */
@Component
public class TaskRenderer {

    private static final int IMAGE_UNITS = 8;

    private final AssetUrlSigner signer;
    private final boolean taskInfoOnCreate;

    public TaskRenderer(AssetUrlSigner signer, EmulatorProperties properties) {
        this.signer = signer;
        this.taskInfoOnCreate = properties.taskInfoOnCreate();
    }

    /** The create reply's {@code data}: no {@code task_status_msg}, no result. */
    public TaskData created(Task task) {
        TaskInfo info = taskInfoOnCreate ? new TaskInfo(task.spec().externalTaskId()) : null;
        return new TaskData(task.taskId(), task.status().wire(), null, info, null, null, task.createdAt(), task.updatedAt());
    }

    /** The query / list / callback object. */
    public TaskData render(Task task) {
        return new TaskData(task.taskId(), task.status().wire(), task.statusMessage(),
                new TaskInfo(task.spec().externalTaskId()), result(task), deduction(task), task.createdAt(), task.updatedAt());
    }

    /** @return the signed URL of output {@code index} */
    public String assetUrl(Task task, int index) {
        return signer.url(task.taskId(), index, task.product().output().extension(), task.updatedAt());
    }

    private @Nullable TaskResult result(Task task) {
        if (task.status() != TaskStatus.SUCCEED) {
            return null;
        }
        if (task.product().output() == OutputKind.IMAGE) {
            List<ImageItem> images = IntStream.range(0, task.spec().outputs())
                    .mapToObj(i -> new ImageItem(i, assetUrl(task, i))).toList();
            return new TaskResult(images, List.of(), List.of());
        }
        List<VideoItem> videos = IntStream.range(0, task.spec().outputs())
                .mapToObj(i -> new VideoItem(task.outputIds().get(i), assetUrl(task, i), resultDuration(task))).toList();
        return new TaskResult(List.of(), videos, List.of());
    }

    /** Kling reports a 5 s request as {@code "5.1"} (R2, R3); we add 0.1 s to every requested length. */
    static String resultDuration(Task task) {
        return task.spec().duration() + ".1";
    }

    private static @Nullable String deduction(Task task) {
        if (!task.status().isTerminal()) {
            return null;
        }
        if (task.status() == TaskStatus.FAILED) {
            return "0";
        }
        if (task.product().output() == OutputKind.IMAGE) {
            return String.valueOf(IMAGE_UNITS * task.spec().outputs());
        }
        int seconds = Integer.parseInt(task.spec().duration());
        int perFive = "std".equals(task.spec().mode()) ? 1 : 2;
        return String.valueOf(Math.max(1, (seconds + 4) / 5) * perFive);
    }
}
