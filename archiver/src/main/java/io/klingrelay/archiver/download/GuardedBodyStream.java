package io.klingrelay.archiver.download;

import io.klingrelay.common.error.PermanentException;
import io.klingrelay.common.error.TransientException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * An asset body that counts bytes, fails once more than the cap has been read, and reports read
 * errors as {@link AssetReadException}s naming the asset index.
 */
final class GuardedBodyStream extends FilterInputStream {

    private final long maxBytes;
    private final int assetIndex;
    private long count;

    GuardedBodyStream(InputStream body, long maxBytes, int assetIndex) {
        super(body);
        this.maxBytes = maxBytes;
        this.assetIndex = assetIndex;
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
        try {
            return read.read();
        } catch (AssetReadException e) {
            throw e;
        } catch (IOException e) {
            throw new AssetReadException(new TransientException("asset " + assetIndex + ": download broke off after "
                    + count + " bytes: " + e.getClass().getSimpleName(), e));
        }
    }

    @FunctionalInterface
    private interface IoRead {
        int read() throws IOException;
    }
}
