package io.klingrelay.campaign.input;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.jspecify.annotations.Nullable;

/**
 * Streams a campaign file line by line (JSON Lines) or record by record (CSV): only the current
 * line is in memory, so a file of any length can be checked and published. Not thread-safe; close it.
 */
public abstract class CampaignReader implements Iterator<CampaignLine>, AutoCloseable {

    private @Nullable CampaignLine next;
    private boolean done;

    /**
     * @param file   the campaign file (UTF-8)
     * @param format its format
     * @return a reader positioned before the first line
     * @throws CampaignFileException when the file cannot be opened or (CSV) its header is not usable
     */
    public static CampaignReader open(Path file, CampaignFormat format) {
        BufferedReader reader = openReader(file);
        try {
            return format == CampaignFormat.CSV ? new CsvRequests(reader) : new JsonLinesRequests(reader);
        } catch (RuntimeException e) {
            closeQuietly(reader);
            throw e;
        }
    }

    private static BufferedReader openReader(Path file) {
        try {
            return Files.newBufferedReader(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CampaignFileException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** @return the next line, or null at the end of the file */
    protected abstract @Nullable CampaignLine readNext() throws IOException;

    @Override
    public boolean hasNext() {
        if (next == null && !done) {
            try {
                next = readNext();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the campaign file", e);
            }
            done = next == null;
        }
        return next != null;
    }

    @Override
    public CampaignLine next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        CampaignLine line = next;
        next = null;
        return line;
    }

    @Override
    public abstract void close();

    static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // nothing was written through it; the read result stands
        }
    }

    /**
     * @param message a parser's message
     * @return its first line, at most 160 characters (parsers quote the whole input otherwise)
     */
    static String shortMessage(@Nullable String message) {
        String text = message == null ? "unknown error" : message.lines().findFirst().orElse("");
        return text.length() > 160 ? text.substring(0, 157) + "..." : text;
    }
}
