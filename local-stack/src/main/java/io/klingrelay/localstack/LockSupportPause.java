package io.klingrelay.localstack;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/** The polling pause of start-up waits (not used in tests, which wait with Awaitility). */
final class LockSupportPause {

    private LockSupportPause() {
    }

    static void pause(Duration duration) {
        LockSupport.parkNanos(duration.toNanos());
    }
}
