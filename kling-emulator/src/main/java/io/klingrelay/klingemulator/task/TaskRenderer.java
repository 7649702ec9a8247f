package io.klingrelay.klingemulator.task;

import io.klingrelay.klingemulator.config.EmulatorProperties;
import io.klingrelay.klingemulator.config.EmulatorSettings;
import io.klingrelay.klingemulator.spec.OutputKind;
import io.klingrelay.klingemulator.spec.TaskSpec;
import io.klingrelay.klingemulator.task.AssetUrlSigner;
import io.klingrelay.klingemulator.task.TaskData.BalanceDeduction;
import io.klingrelay.klingemulator.task.TaskData.ImageItem;
import io.klingrelay.klingemulator.task.TaskData.ParentVideo;
import io.klingrelay.klingemulator.task.TaskData.TaskInfo;
import io.klingrelay.klingemulator.task.TaskData.TaskResult;
import io.klingrelay.klingemulator.task.TaskData.VideoItem;
import io.klingrelay.klingemulator.task.TaskData.WatermarkInfo;
import java.math.BigDecimal;
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

    /** The 2026 create reply's {@code data}: {@code id, status, message, create_time, update_time, external_id}. */
    public NewTaskData createdNewApi(Task task) {
        return new NewTaskData(task.taskId(), task.status().newApiWire(), "", task.createdAt(), task.updatedAt(),
                task.spec().externalTaskId(), null, null);
    }

    /** The 2026 task object (batch query, cursor listing, callback of a 2026 task), kling-api.md §15. */
    public NewTaskData renderNewApi(Task task) {
        return new NewTaskData(task.taskId(), task.status().newApiWire(), task.statusMessage(), task.createdAt(),
                task.updatedAt(), task.spec().externalTaskId(), outputs(task), billing(task));
    }

    /** @return the callback body: the 2026 object for tasks created on the 2026 API, else the legacy one (§11.2) */
    public Object callbackBody(Task task) {
        return task.product().newApi() ? renderNewApi(task) : render(task);
    }

    private List<NewTaskData.Output> outputs(Task task) {
        if (task.status() != TaskStatus.SUCCEED) {
            return List.of();
        }
        boolean video = task.product().output() == OutputKind.VIDEO;
        return IntStream.range(0, task.spec().outputs()).mapToObj(i -> new NewTaskData.Output(
                video ? "video" : "image", video ? task.outputIds().get(i) : null, assetUrl(task, i), watermark(task, i),
                video ? resultDuration(task) : null)).toList();
    }

    private static List<NewTaskData.Billing> billing(Task task) {
        if (task.status() != TaskStatus.SUCCEED) {
            return List.of();
        }
        return List.of(new NewTaskData.Billing("unit", Units.format(Units.of(task.product(), task.spec())),
                task.product().output() == OutputKind.VIDEO ? "video" : "image"));
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
        return task.status() == TaskStatus.FAILED ? "0" : Units.format(Units.of(task.product(), task.spec()));
    }

    /** [I] quota = the units, list price = 0.14 per unit (no source gives real figures). */
    private static @Nullable BalanceDeduction balance(Task task) {
        String units = deduction(task);
        if (units == null) {
            return null;
        }
        return new BalanceDeduction(units, String.format(Locale.ROOT, "%.2f", new BigDecimal(units).doubleValue() * 0.14));
    }
}
