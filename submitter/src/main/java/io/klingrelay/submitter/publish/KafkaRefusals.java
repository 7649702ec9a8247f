package io.klingrelay.submitter.publish;

import java.util.List;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.jspecify.annotations.Nullable;

/**
 * Kafka's answers that no retry can change: the same record is refused again however often it is
 * sent (too large for {@code max.request.size} or the topic's {@code max.message.bytes}, not
 * serialisable, an invalid topic name, a record the broker rejects). A caller that meets one
 * must not retry the same record.
 */
public final class KafkaRefusals {

    /** The exception types, for {@code DefaultErrorHandler.addNotRetryableExceptions}. */
    public static final List<Class<? extends Exception>> PERMANENT = List.of(RecordTooLargeException.class,
            RecordBatchTooLargeException.class, SerializationException.class, InvalidTopicException.class,
            InvalidRecordException.class);

    private KafkaRefusals() {
    }

    /**
     * @param error an exception, possibly wrapping Kafka's
     * @return whether it or one of its causes is a {@linkplain #PERMANENT permanent} refusal
     */
    public static boolean isPermanent(@Nullable Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            Throwable current = cause;
            if (PERMANENT.stream().anyMatch(type -> type.isInstance(current))) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param error an exception
     * @return the simple class names of it and its causes, outermost first, joined by {@code " <- "}
     *         (no messages: those may quote hosts or record contents)
     */
    public static String describe(@Nullable Throwable error) {
        StringBuilder names = new StringBuilder();
        for (Throwable cause = error; cause != null && names.length() < 300; cause = cause.getCause()) {
            names.append(names.isEmpty() ? "" : " <- ").append(cause.getClass().getSimpleName());
        }
        return names.isEmpty() ? "unknown error" : names.toString();
    }
}
