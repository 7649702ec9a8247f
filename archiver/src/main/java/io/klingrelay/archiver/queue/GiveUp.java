package io.klingrelay.archiver.queue;

import io.klingrelay.common.error.KlingRelayException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The reason a request ends with when the archiver gives up on a task the object store kept
 * refusing for {@code klingrelay.archiver.store-outage.give-up-after}: how often it was tried, the
 * setting that bounded it, and the last error's message (never a signed URL or credential, see
 * {@link KlingRelayException}).
 */
final class GiveUp {

    private GiveUp() {
    }

    /**
     * @param tries       how often the task was taken and failed
     * @param last        the last error
     * @param giveUpAfter {@code klingrelay.archiver.store-outage.give-up-after}
     * @return e.g. {@code archiving gave up after 37 tries (klingrelay.archiver.store-outage.give-up-after
     *         PT24H): object storage: cannot stat an object in bucket b: ConnectException; gave up after 5 attempts}
     */
    static String reason(int tries, @Nullable Throwable last, Duration giveUpAfter) {
        return "archiving gave up after " + tries + (tries == 1 ? " try" : " tries")
                + " (klingrelay.archiver.store-outage.give-up-after " + giveUpAfter + "): " + why(last);
    }

    private static String why(@Nullable Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof KlingRelayException known) {
                return known.getMessage();
            }
        }
        Throwable root = error;
        while (root != null && root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == null ? "unknown error" : "unexpected " + root.getClass().getSimpleName();
    }
}
