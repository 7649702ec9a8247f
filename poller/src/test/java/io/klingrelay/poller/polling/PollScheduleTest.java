package io.klingrelay.poller.polling;

import static org.assertj.core.api.Assertions.assertThat;

import io.klingrelay.common.event.Product;
import io.klingrelay.common.event.TaskStatus;
import io.klingrelay.coordination.task.TaskRecord;
import io.klingrelay.coordination.task.TaskShape;
import io.klingrelay.poller.config.ScheduleProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class PollScheduleTest {

    private static final Instant SUBMITTED = Instant.parse("2027-01-15T08:00:00Z");
    private static final TaskShape V16_STD_5 = new TaskShape(Product.TEXT_TO_VIDEO, "kling-v1-6", "std", "5");
    private static final TaskShape V16_PRO_10 = new TaskShape(Product.TEXT_TO_VIDEO, "kling-v1-6", "pro", "10");
    private static final TaskShape IMAGE = new TaskShape(Product.IMAGE_GENERATION, "kling-v2", null, null);
    private static final Duration RECHECK = Duration.ofSeconds(30);

    private final AtomicReference<Double> draw = new AtomicReference<>(0.0);
    private final ExpectedDurations durations = new ExpectedDurations(ScheduleProperties.defaults());
    private final PollSchedule schedule = new PollSchedule(durations, ScheduleProperties.defaults(),
            Duration.ofMinutes(10), RECHECK, draw::get);

    private static TaskRecord record(Product product) {
        return new TaskRecord("req-1", "brand-a", "task-1", product, null, TaskStatus.SUBMITTED, SUBMITTED, 1, false);
    }

    @Test
    void looksFirstAtTheDocumentedDefaultPlusTheCallbackGraceWhenNothingIsLearned() {
        assertThat(schedule.firstLook(record(Product.TEXT_TO_VIDEO), V16_STD_5))
                .isEqualTo(SUBMITTED.plus(Duration.ofMinutes(3)).plusSeconds(2));
        assertThat(schedule.firstLook(record(Product.IMAGE_GENERATION), IMAGE))
                .isEqualTo(SUBMITTED.plusSeconds(32));
    }

    @Test
    void looksFirstAtTheLearnedQuantileOfItsShapeThenOfItsProduct() {
        // GIVEN ten 5 s std tasks took 60–69 s on Kling, two 10 s pro tasks took 200 s
        for (int i = 0; i < 10; i++) {
            durations.learn(V16_STD_5, Duration.ofSeconds(60 + i));
        }
        durations.learn(V16_PRO_10, Duration.ofSeconds(200));
        durations.learn(V16_PRO_10, Duration.ofSeconds(200));

        // THEN the std shape uses its own p90 (68 s); the pro shape has too few samples and uses the product's
        // (12 samples: p90 = the 11th = 200 s)
        assertThat(schedule.firstLook(record(Product.TEXT_TO_VIDEO), V16_STD_5))
                .isEqualTo(SUBMITTED.plusSeconds(68 + 2));
        assertThat(schedule.firstLook(record(Product.TEXT_TO_VIDEO), V16_PRO_10))
                .isEqualTo(SUBMITTED.plusSeconds(200 + 2));
    }

    @Test
    void neverLooksFirstLaterThanTheGraceAfterSubmission() {
        for (int i = 0; i < 3; i++) {
            durations.learn(V16_PRO_10, Duration.ofMinutes(30));
        }

        assertThat(schedule.firstLook(record(Product.TEXT_TO_VIDEO), V16_PRO_10))
                .isEqualTo(SUBMITTED.plus(Duration.ofMinutes(10)));
    }

    @Test
    void backsOffFromTheRecheckDoublingWithTheTimePastTheFirstLookUpToTheCapJitteredOverTheUpperHalf() {
        TaskRecord record = record(Product.TEXT_TO_VIDEO);
        Instant firstLook = schedule.firstLook(record, V16_STD_5);

        // at the first look: between half a recheck and a recheck
        draw.set(0.0);
        assertThat(schedule.nextLook(record, V16_STD_5, firstLook)).isEqualTo(firstLook.plusSeconds(15));
        draw.set(0.999_999);
        assertThat(schedule.nextLook(record, V16_STD_5, firstLook)).isEqualTo(firstLook.plusMillis(29_999));
        // one recheck later the ceiling has doubled, three later it doubled again
        draw.set(0.0);
        Instant oneLater = firstLook.plus(RECHECK);
        assertThat(schedule.nextLook(record, V16_STD_5, oneLater)).isEqualTo(oneLater.plusSeconds(30));
        Instant threeLater = firstLook.plus(RECHECK.multipliedBy(3));
        assertThat(schedule.nextLook(record, V16_STD_5, threeLater)).isEqualTo(threeLater.plusSeconds(60));
        // an hour later it is capped at 2 min
        Instant hourLater = firstLook.plus(Duration.ofHours(1));
        draw.set(0.999_999);
        assertThat(schedule.nextLook(record, V16_STD_5, hourLater)).isBetween(hourLater.plusSeconds(119),
                hourLater.plusSeconds(120));
    }
}
