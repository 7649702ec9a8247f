package io.klingrelay.archiver.bench;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

/**
 * A deterministic asset body of any size, generated on the fly (never held whole): 1 MiB blocks
 * of fixed random bytes, each stamped with its block number, starting like an MP4 ({@code ftyp}).
 */
final class BenchBody extends InputStream {

    static final int BLOCK = 1024 * 1024;
    private static final byte[] RANDOM = new byte[BLOCK];

    static {
        new Random(42).nextBytes(RANDOM);
        byte[] mp4 = {0, 0, 0, 0x20, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm'};
        System.arraycopy(mp4, 0, RANDOM, 0, mp4.length);
    }

    private final long size;
    private final byte[] block = new byte[BLOCK];
    private long position;
    private int offset = BLOCK;

    /** @param size the body's size in bytes */
    BenchBody(long size) {
        this.size = size;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int off, int len) {
        if (position >= size) {
            return -1;
        }
        if (offset == BLOCK) {
            System.arraycopy(RANDOM, 0, block, 0, BLOCK);
            ByteBuffer.wrap(block, 16, 8).putLong(position / BLOCK);
            offset = 0;
        }
        int n = (int) Math.min(Math.min(len, BLOCK - offset), size - position);
        System.arraycopy(block, offset, buffer, off, n);
        offset += n;
        position += n;
        return n;
    }

    /**
     * @param size the body's size
     * @return its lower-case hex SHA-256
     * @throws Exception never, in practice
     */
    static String sha256(long size) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (DigestInputStream in = new DigestInputStream(new BenchBody(size), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
