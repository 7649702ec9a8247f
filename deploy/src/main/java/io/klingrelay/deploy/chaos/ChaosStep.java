package io.klingrelay.deploy.chaos;

import io.klingrelay.deploy.stack.Service;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.jspecify.annotations.Nullable;

/**
 * One kill-and-restart of the chaos run.
 *
 * @param target  what is killed
 * @param service the service, for {@link Target#SERVICE}
 */
record ChaosStep(Target target, @Nullable Service service) {

    /** What a step kills. */
    enum Target {
        /** One of the four pipeline services (for the submitter: one of its instances). */
        SERVICE,
        /** redis-server (restarted on the same folder, replaying its append-only file). */
        REDIS,
        /** The Kafka broker (restarted on the same log folder). */
        KAFKA
    }

    /** @return e.g. {@code webhook-receiver}, {@code redis-server}, {@code kafka} */
    String name() {
        return switch (target) {
            case SERVICE -> java.util.Objects.requireNonNull(service).moduleName();
            case REDIS -> "redis-server";
            case KAFKA -> "kafka";
        };
    }

    /**
     * @param plan   the plan (how many of each)
     * @param random the seeded random source
     * @return every step of the plan in a random order that never kills the same thing twice in a row
     *     when it can be avoided
     */
    static List<ChaosStep> schedule(ChaosPlan plan, Random random) {
        List<ChaosStep> steps = new ArrayList<>();
        for (int i = 0; i < plan.killsPerService(); i++) {
            for (Service service : List.of(Service.SUBMITTER, Service.WEBHOOK_RECEIVER, Service.POLLER, Service.ARCHIVER)) {
                steps.add(new ChaosStep(Target.SERVICE, service));
            }
        }
        for (int i = 0; i < plan.redisRestarts(); i++) {
            steps.add(new ChaosStep(Target.REDIS, null));
        }
        for (int i = 0; i < plan.kafkaRestarts(); i++) {
            steps.add(new ChaosStep(Target.KAFKA, null));
        }
        Collections.shuffle(steps, random);
        for (int i = 1; i < steps.size(); i++) {
            if (steps.get(i).equals(steps.get(i - 1))) {
                for (int j = i + 1; j < steps.size(); j++) {
                    if (!steps.get(j).equals(steps.get(i - 1))) {
                        Collections.swap(steps, i, j);
                        break;
                    }
                }
            }
        }
        return steps;
    }
}
