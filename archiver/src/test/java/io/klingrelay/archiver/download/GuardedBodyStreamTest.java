package io.klingrelay.archiver.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.klingrelay.common.error.PermanentException;
import io.klingrelay.common.error.TransientException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class GuardedBodyStreamTest {

    @Test
    void passesABodyUpToTheCap() throws IOException {
        try (GuardedBodyStream body = new GuardedBodyStream(new ByteArrayInputStream(new byte[1000]), 1000, 0, later())) {
            assertThat(body.transferTo(OutputStream.nullOutputStream())).isEqualTo(1000);
        }
    }

    @Test
    void failsPermanentlyOnceMoreThanTheCapIsRead() {
        GuardedBodyStream body = new GuardedBodyStream(new ByteArrayInputStream(new byte[1001]), 1000, 4, later());

        assertThatThrownBy(() -> body.transferTo(OutputStream.nullOutputStream()))
                .isInstanceOfSatisfying(AssetReadException.class, e -> assertThat(e.failure())
                        .isInstanceOf(PermanentException.class)
                        .hasMessageContaining("asset 4")
                        .hasMessageContaining("max-asset-size"));
    }

    @Test
    void reportsABrokenConnectionAsTransient() {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset");
            }
        };
        GuardedBodyStream body = new GuardedBodyStream(broken, 1000, 1, later());

        assertThatThrownBy(body::read)
                .isInstanceOfSatisfying(AssetReadException.class, e -> assertThat(e.failure())
                        .isInstanceOf(TransientException.class)
                        .hasMessageContaining("asset 1"));
    }

    @Test
    void refusesToReadOnceTheDeadlineHasPassed() {
        GuardedBodyStream body = new GuardedBodyStream(new ByteArrayInputStream(new byte[10]), 1000, 2,
                System.nanoTime() - 1);

        assertThatThrownBy(body::read)
                .isInstanceOfSatisfying(AssetReadException.class, e -> assertThat(e.failure())
                        .isInstanceOf(TransientException.class)
                        .hasMessageContaining("asset 2")
                        .hasMessageContaining("klingrelay.archiver.download-deadline"));
    }

    @Test
    void namesTheDeadlineWhenTheCancelledCallBreaksTheRead() {
        long deadline = System.nanoTime() + Duration.ofMillis(1).toNanos();
        InputStream cancelled = new InputStream() {
            @Override
            public int read() throws IOException {
                await().until(() -> GuardedBodyStream.isPast(deadline));
                throw new InterruptedIOException("timeout");
            }
        };
        GuardedBodyStream body = new GuardedBodyStream(cancelled, 1000, 0, deadline);

        assertThatThrownBy(body::read)
                .isInstanceOfSatisfying(AssetReadException.class, e -> assertThat(e.failure())
                        .isInstanceOf(TransientException.class)
                        .hasMessageContaining("did not finish within klingrelay.archiver.download-deadline"));
    }

    private static long later() {
        return System.nanoTime() + Duration.ofMinutes(1).toNanos();
    }
}
