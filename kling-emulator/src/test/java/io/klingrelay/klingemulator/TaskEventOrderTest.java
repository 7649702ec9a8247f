package io.klingrelay.klingemulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.klingrelay.klingemulator.asset.AssetService;
import io.klingrelay.klingemulator.callback.CallbackSender;
import io.klingrelay.klingemulator.stats.EmulatorStats;
import io.klingrelay.klingemulator.stats.TaskTimeline;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;

/**
 * The task engine's subscribers are called in the order of the direct calls they replaced: Spring sorts the
 * injected {@code List<TaskEventListener>} with {@link AnnotationAwareOrderComparator}, by their {@code @Order}.
 */
class TaskEventOrderTest {

    @Test
    void subscribersRunTimelineThenAssetCacheThenStatsThenCallbacks() {
        List<Class<?>> listeners = new ArrayList<>(
                List.of(CallbackSender.class, EmulatorStats.class, AssetService.class, TaskTimeline.class));

        AnnotationAwareOrderComparator.sort(listeners);

        assertThat(listeners).containsExactly(
                TaskTimeline.class, AssetService.class, EmulatorStats.class, CallbackSender.class);
    }
}
