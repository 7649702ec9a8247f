package io.klingrelay.coordination.publish;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * "Publish and wait for the ack" for any record a producer sends: hands it to the producer, then
 * waits for the broker's acknowledgement (with {@code acks=all}, every in-sync replica has it), so
 * the caller commits its offset or marks its work done only afterwards. {@link KafkaEventPublisher}
 * sends events with it; a service sending other records (dead letters, raw bytes) uses it directly.
 * Every failure is one {@link PublishException} whose cause is Kafka's own error, so a caller can
 * tell a permanent refusal (a record too large) from an outage by walking the cause.
 */
public final class Acks {

    private Acks() {
    }

    /**
     * Sends one record and waits for its acknowledgement.
     *
     * @param send    hands the record to the producer, e.g. {@code () -> template.send(record)}
     * @param timeout how long to wait for the acknowledgement
     * @param what    names the record in the exception message (type, request id, topic; no secrets)
     * @param <R>     the send result type
     * @return the send result (topic, partition, offset)
     * @throws PublishException when the producer refused the record, Kafka refused it, it was not
     *         acknowledged within {@code timeout}, or the thread was interrupted (its flag stays set)
     */
    public static <R> R sendAndAwait(Supplier<? extends Future<R>> send, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        return await(send(send, what), deadline, timeout, what);
    }

    /**
     * Hands a record to the producer without waiting; {@link #await} waits for it later, so that
     * many records can be in flight together.
     *
     * @param send hands the record to the producer
     * @param what names the record in the exception message
     * @param <F>  the future type
     * @return the pending acknowledgement
     * @throws PublishException when the producer refused the record at once (e.g. no topic
     *         metadata within {@code max.block.ms}); the cause is the producer's error
     */
    public static <F extends Future<?>> F send(Supplier<F> send, String what) {
        try {
            return send.get();
        } catch (RuntimeException e) {
            throw new PublishException("Kafka refused " + what + ": " + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * @param ack      a pending acknowledgement
     * @param deadline {@link System#nanoTime()} by which it must have arrived
     * @param timeout  the whole wait, for the message
     * @param what     names the record in the exception message
     * @param <R>      the send result type
     * @return the send result
     * @throws PublishException when Kafka refused the record (the cause is Kafka's error), did not
     *         acknowledge it by the deadline, or the thread was interrupted (its flag stays set)
     */
    public static <R> R await(Future<R> ack, long deadline, Duration timeout, String what) {
        try {
            return ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new PublishException("Kafka did not acknowledge " + what + " within " + timeout, e);
        } catch (ExecutionException e) {
            throw new PublishException("Kafka refused " + what + ": " + e.getCause().getClass().getSimpleName(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishException("interrupted while waiting for Kafka to acknowledge " + what, e);
        }
    }
}
