package io.klingrelay.webhookreceiver.callback;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What every {@link DeliveryLog} does (STYLE.md 22): run against the fake and against Redis. */
abstract class DeliveryLogContract {

    /** @return the log under test, empty for the accounts the test makes up */
    abstract DeliveryLog deliveryLog();

    private static String freshAccount() {
        return "acct-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void remembersAnIdOnlyOnceItIsMarkedAndOnlyForItsAccount() {
        DeliveryLog log = deliveryLog();
        String account = freshAccount();
        String other = freshAccount();

        assertThat(log.wasHandled(account, "msg_2Lh9KRb0pzN4LePd3XiA4v12Axj")).isFalse();
        log.markHandled(account, "msg_2Lh9KRb0pzN4LePd3XiA4v12Axj");

        assertThat(log.wasHandled(account, "msg_2Lh9KRb0pzN4LePd3XiA4v12Axj")).isTrue();
        assertThat(log.wasHandled(account, "msg_other")).isFalse();
        assertThat(log.wasHandled(other, "msg_2Lh9KRb0pzN4LePd3XiA4v12Axj")).isFalse();
    }

    @Test
    void marksTheSameIdTwiceWithoutComplaint() {
        DeliveryLog log = deliveryLog();
        String account = freshAccount();

        log.markHandled(account, "msg-1");
        log.markHandled(account, "msg-1");

        assertThat(log.wasHandled(account, "msg-1")).isTrue();
    }

    @Test
    void acceptsIdsOfAnyPrintableShapeUpToTheLongestAllowed() {
        DeliveryLog log = deliveryLog();
        String account = freshAccount();
        String odd = "{}:*?[]\\\"'" + "x".repeat(240);

        log.markHandled(account, odd);

        assertThat(log.wasHandled(account, odd)).isTrue();
    }
}
