package io.klingrelay.archiver.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.klingrelay.archiver.archive.ObjectStoreUnavailableException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class GiveUpTest {

    private static final Duration GIVE_UP_AFTER = Duration.ofHours(24);

    @Test
    void namesTheTriesTheSettingAndTheLastError() {
        Exception error = new ObjectStoreUnavailableException(
                "object storage: cannot stat an object in bucket b: ConnectException", new IllegalStateException());

        assertThat(GiveUp.reason(37, error, GIVE_UP_AFTER)).isEqualTo("archiving gave up after 37 tries "
                + "(klingrelay.archiver.store-outage.give-up-after PT24H): object storage: cannot stat an object in "
                + "bucket b: ConnectException");
    }

    @Test
    void namesOnlyTheClassOfAnUnexpectedError() {
        Exception error = new IllegalStateException("http://cdn/x.mp4?Signature=s3cr3t");

        assertThat(GiveUp.reason(1, error, GIVE_UP_AFTER)).isEqualTo("archiving gave up after 1 try "
                + "(klingrelay.archiver.store-outage.give-up-after PT24H): unexpected IllegalStateException");
    }
}
