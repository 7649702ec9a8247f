package io.klingrelay.deploy.chaos;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/** A bounded wait in the chaos run's polling loops (main code: no Awaitility). */
final class Pause {

    private Pause() {
    }

    /** @param duration how long to wait (an interrupt ends it early) */
    static void pause(Duration duration) {
        LockSupport.parkNanos(duration.toNanos());
    }
}
