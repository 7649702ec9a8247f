package io.klingrelay.klingemulator.task;

import io.klingrelay.klingemulator.asset.AssetUrlSigner;
import io.klingrelay.klingemulator.config.EmulatorProperties;
import io.klingrelay.klingemulator.config.EmulatorSettings;
import io.klingrelay.klingemulator.product.OutputKind;
import io.klingrelay.klingemulator.product.TaskSpec;
import io.klingrelay.klingemulator.task.TaskData.BalanceDeduction;
import io.klingrelay.klingemulator.task.TaskData.ParentVideo;
import io.klingrelay.klingemulator.task.TaskData.WatermarkInfo;
import io.klingrelay.klingemulator.task.TaskData.ImageItem;
import io.klingrelay.klingemulator.task.TaskData.TaskInfo;
import io.klingrelay.klingemulator.task.TaskData.TaskResult;
import io.klingrelay.klingemulator.task.TaskData.VideoItem;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** Turns a {@link Task} into its wire shape; asset URLs are signed here. */
@Component
public class TaskRenderer {

    private final AssetUrlSigner signer;
    private final EmulatorSettings settings;

    public TaskRenderer(AssetUrlSigner signer, EmulatorProperties properties, EmulatorSettings settings) {
        this.signer = signer;
        this.settings = settings;
    }

    /** The create reply's {@code data}: no {@code task_status_msg}, no result. */
    public TaskData created(Task task) {
        TaskInfo info = settings.taskInfoOnCreate() ? taskInfo(task) : null;
        return new TaskData(task.taskId(), task.status().wire(), null, info, null, null, null, watermarkInfo(task),
                task.createdAt(), task.updatedAt());
    }

    /** The query / list / callback object; 2025 era: without the {@code final_*} fields. */
    public TaskData render(Task task) {
        boolean era2026 = settings.era2026();
        return new TaskData(task.taskId(), task.status().wire(), task.statusMessage(), taskInfo(task), result(task),
                era2026 ? deduction(task) : null, era2026 ? balance(task) : null, watermarkInfo(task),
                task.createdAt(), task.updatedAt());
    }

    /** @return the signed URL of output {@code index} */
    public String assetUrl(Task task, int index) {
        return signer.url(task.taskId(), index, task.product().output().extension(), task.updatedAt());
    }

    /** @return the signed URL of the watermarked copy of output {@code index} */
    public String watermarkUrl(Task task, int index) {
        return signer.url(task.taskId(), index + "-wm", task.product().output().extension(), task.updatedAt());
    }

    private static TaskInfo taskInfo(Task task) {
        TaskSpec.ParentVideo parent = task.spec().parentVideo();
        ParentVideo parentVideo = parent == null ? null : new ParentVideo(parent.id(), parent.url(), parent.duration());
        return new TaskInfo(parentVideo, task.spec().externalTaskId());
    }

    private static @Nullable WatermarkInfo watermarkInfo(Task task) {
        return task.spec().watermark() ? new WatermarkInfo(true) : null;
    }

    private @Nullable String watermark(Task task, int index) {
        return task.spec().watermark() ? watermarkUrl(task, index) : null;
    }

    private @Nullable TaskResult result(Task task) {
        if (task.status() != TaskStatus.SUCCEED) {
            return settings.emptyResultBeforeSuccess() ? new TaskResult(List.of(), List.of(), List.of()) : null;
        }
        if (task.product().output() == OutputKind.IMAGE) {
            List<ImageItem> images = IntStream.range(0, task.spec().outputs())
                    .mapToObj(i -> new ImageItem(i, assetUrl(task, i), watermark(task, i))).toList();
            return new TaskResult(images, List.of(), List.of());
        }
        List<VideoItem> videos = IntStream.range(0, task.spec().outputs())
                .mapToObj(i -> new VideoItem(task.outputIds().get(i), assetUrl(task, i), watermark(task, i),
                        resultDuration(task))).toList();
        return new TaskResult(List.of(), videos, List.of());
    }

    /** Kling reports a 5 s request as {@code "5.1"} (R2, R3); we add 0.1 s to every requested length. */
    public static String resultDuration(Task task) {
        return task.spec().duration() + ".1";
    }

    private static @Nullable String deduction(Task task) {
        if (!task.status().isTerminal()) {
            return null;
        }
        return task.status() == TaskStatus.FAILED ? "0" : String.valueOf(Units.of(task.product(), task.spec()));
    }

    /** [I] quota = the units, list price = 0.14 per unit (no source gives real figures). */
    private static @Nullable BalanceDeduction balance(Task task) {
        String units = deduction(task);
        if (units == null) {
            return null;
        }
        return new BalanceDeduction(units, String.format(Locale.ROOT, "%.2f", Integer.parseInt(units) * 0.14));
    }
}
