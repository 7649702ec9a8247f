package io.klingrelay.klingemulator.task;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/** Issues Kling-like 18-digit numeric ids ({@code task_id}, video {@code id}), unique per process. */
@Component
public class TaskIds {

    private static final long BASE = 800_000_000_000_000_000L;
    private static final long SPREAD = 100_000_000_000_000L;

    private final AtomicLong next;

    public TaskIds(Clock clock) {
        this.next = new AtomicLong(BASE + (clock.millis() % SPREAD) * 1000);
    }

    public String next() {
        return Long.toString(next.incrementAndGet());
    }
}
