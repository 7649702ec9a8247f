package io.klingrelay.campaign.publish;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.klingrelay.common.json.EventJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.core.JacksonException;

/**
 * The progress marker of {@code campaign submit}: a small JSON file next to the input
 * ({@code <FILE>.published.json}), replaced atomically, that says how far a file was published.
 * Before a batch is handed to the producer, {@code sendingThrough} moves to the batch's last line
 * (write-ahead); once Kafka acknowledged every record of it, {@code publishedThrough} follows. So
 * after a crash of the command, lines up to {@code publishedThrough} are certainly published, lines
 * after {@code sendingThrough} certainly not, and only the lines between may or may not be (they
 * are checked against the status service on resume).
 *
 * @param fileSha256       SHA-256 of the input file the marker belongs to (another file content: another campaign run)
 * @param campaignId       the campaign
 * @param publishedThrough the last line number up to which every valid line was acknowledged by Kafka (0: none)
 * @param sendingThrough   the last line number handed to the producer ({@code >= publishedThrough})
 * @param published        records acknowledged so far, over all runs
 * @param complete         whether the whole file is published
 * @param updatedAt        when the marker was written
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PublishJournal(String fileSha256, String campaignId, long publishedThrough, long sendingThrough,
        long published, boolean complete, Instant updatedAt) {

    public PublishJournal {
        Objects.requireNonNull(fileSha256, "fileSha256");
        Objects.requireNonNull(campaignId, "campaignId");
        if (sendingThrough < publishedThrough) {
            throw new IllegalArgumentException("sendingThrough " + sendingThrough + " < publishedThrough " + publishedThrough);
        }
    }

    /**
     * @param fileSha256 the file's hash
     * @param campaignId the campaign
     * @return the marker of a file nothing of which is published yet
     */
    public static PublishJournal start(String fileSha256, String campaignId) {
        return new PublishJournal(fileSha256, campaignId, 0, 0, 0, false, Instant.now());
    }

    /**
     * @param input the campaign file
     * @return where its marker lives: {@code <input>.published.json} beside it
     */
    public static Path beside(Path input) {
        return input.toAbsolutePath().resolveSibling(input.getFileName() + ".published.json");
    }

    /**
     * @param lastLine the last line of the batch about to be sent
     * @return this marker, sending through {@code lastLine}
     */
    public PublishJournal sending(long lastLine) {
        return new PublishJournal(fileSha256, campaignId, publishedThrough, Math.max(sendingThrough, lastLine),
                published, false, Instant.now());
    }

    /**
     * @param lastLine the batch's last line, now acknowledged
     * @param records  how many records the batch had
     * @return this marker, published through {@code lastLine}
     */
    public PublishJournal acknowledged(long lastLine, long records) {
        return new PublishJournal(fileSha256, campaignId, lastLine, Math.max(sendingThrough, lastLine),
                published + records, false, Instant.now());
    }

    /** @return this marker for a fully published file */
    public PublishJournal completed() {
        return new PublishJournal(fileSha256, campaignId, publishedThrough, sendingThrough, published, true, Instant.now());
    }

    /** @return whether some lines may or may not have been published (a crash between send and acknowledgement) */
    public boolean hasUncertainLines() {
        return sendingThrough > publishedThrough;
    }

    /**
     * @param file where the marker is
     * @return the marker, or empty when there is none
     * @throws IllegalStateException when the file exists but is not a marker
     */
    public static Optional<PublishJournal> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(EventJson.mapper().readValue(Files.readString(file), PublishJournal.class));
        } catch (IOException | JacksonException e) {
            throw new IllegalStateException("the publish journal " + file + " is unreadable (" + e.getMessage()
                    + "); move it away to publish the file again", e);
        }
    }

    /**
     * Replaces the marker atomically (write a temporary file, then rename it over the old one).
     *
     * @param file where the marker goes
     * @throws UncheckedIOException when it cannot be written
     */
    public void write(Path file) {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.writeString(temporary, EventJson.mapper().writeValueAsString(this) + "\n", StandardCharsets.UTF_8);
            move(temporary, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the publish journal " + file, e);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** @return a note for the console, e.g. {@code 24 published through line 24 on 2026-11-30T07:00:00Z} */
    public String describe() {
        return published + " published through line " + publishedThrough + (complete ? " (complete)" : "")
                + ", last written " + updatedAt;
    }
}
