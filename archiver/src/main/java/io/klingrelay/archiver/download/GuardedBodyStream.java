package io.klingrelay.archiver.download;

import io.klingrelay.common.error.PermanentException;
import io.klingrelay.common.error.TransientException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.jspecify.annotations.Nullable;

/**
 * An asset body that counts bytes, fails once more than the cap has been read or once the
 * download's deadline has passed, and reports read errors as {@link AssetReadException}s naming
 * the asset index. The deadline itself is enforced by the HTTP call's timeout, which cancels a
 * blocked read; this stream names the cause and also refuses reads that start after it.
 */
final class GuardedBodyStream extends FilterInputStream {

    private final long maxBytes;
    private final int assetIndex;
    private final long deadline;
    private long count;

    /**
     * @param body       the HTTP body
     * @param maxBytes   the size cap in bytes
     * @param assetIndex the asset index, for messages
     * @param deadline   the download's deadline in {@link System#nanoTime()} terms
     */
    GuardedBodyStream(InputStream body, long maxBytes, int assetIndex, long deadline) {
        super(body);
        this.maxBytes = maxBytes;
        this.assetIndex = assetIndex;
        this.deadline = deadline;
    }

    @Override
    public int read() throws IOException {
        int b = guarded(() -> super.read());
        if (b >= 0) {
            counted(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = guarded(() -> super.read(buffer, offset, length));
        if (n > 0) {
            counted(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        throw new IOException("skip is not supported on an asset body");
    }

    private void counted(long n) throws AssetReadException {
        count += n;
        if (count > maxBytes) {
            throw new AssetReadException(new PermanentException("asset " + assetIndex
                    + " is larger than klingrelay.archiver.max-asset-size (" + maxBytes + " bytes)"));
        }
    }

    private int guarded(IoRead read) throws IOException {
        if (isPast(deadline)) {
            throw new AssetReadException(deadlinePassed(assetIndex, count, null));
        }
        try {
            return read.read();
        } catch (AssetReadException e) {
            throw e;
        } catch (IOException e) {
            if (isPast(deadline)) {
                throw new AssetReadException(deadlinePassed(assetIndex, count, e));
            }
            throw new AssetReadException(new TransientException("asset " + assetIndex + ": download broke off after "
                    + count + " bytes: " + e.getClass().getSimpleName(), e));
        }
    }

    /**
     * @param deadline a deadline in {@link System#nanoTime()} terms
     * @return whether it has passed
     */
    static boolean isPast(long deadline) {
        return System.nanoTime() - deadline >= 0;
    }

    /**
     * @param assetIndex the asset index
     * @param bytesRead  bytes of the body read so far
     * @param cause      the I/O error the cancelled call raised, if any
     * @return the transient failure of a download that ran out of time
     */
    static TransientException deadlinePassed(int assetIndex, long bytesRead, @Nullable Throwable cause) {
        return new TransientException("asset " + assetIndex + ": the download did not finish within "
                + "klingrelay.archiver.download-deadline (" + bytesRead + " bytes read)", null, 0, null, cause);
    }

    @FunctionalInterface
    private interface IoRead {
        int read() throws IOException;
    }
}
