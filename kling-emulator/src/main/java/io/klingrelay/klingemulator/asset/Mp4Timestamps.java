package io.klingrelay.klingemulator.asset;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * jcodec stamps the wall clock into the {@code mvhd}, {@code tkhd} and {@code mdhd} boxes; zeroing
 * those creation/modification times makes a generated MP4 depend only on its frames.
 */
final class Mp4Timestamps {

    private static final String[] TIMED_BOXES = {"mvhd", "tkhd", "mdhd"};

    private Mp4Timestamps() {
    }

    /** Zeroes the times in place and returns the same array. */
    static byte[] zero(byte[] mp4) {
        int moov = topLevelBox(mp4, "moov");
        if (moov < 0) {
            return mp4;
        }
        for (int i = moov + 8; i + 8 < mp4.length; i++) {
            if (isTimedBox(mp4, i)) {
                zeroTimes(mp4, i + 4);
            }
        }
        return mp4;
    }

    /** @return offset of the size field of the first top-level box of that type, or -1 */
    static int topLevelBox(byte[] mp4, String type) {
        ByteBuffer buffer = ByteBuffer.wrap(mp4);
        long offset = 0;
        while (offset + 8 <= mp4.length) {
            long size = Integer.toUnsignedLong(buffer.getInt((int) offset));
            String found = new String(mp4, (int) offset + 4, 4, StandardCharsets.US_ASCII);
            if (found.equals(type)) {
                return (int) offset;
            }
            if (size == 1 && offset + 16 <= mp4.length) {
                size = buffer.getLong((int) offset + 8);
            }
            if (size < 8) {
                return -1;
            }
            offset += size;
        }
        return -1;
    }

    private static boolean isTimedBox(byte[] mp4, int typeOffset) {
        for (String type : TIMED_BOXES) {
            byte[] name = type.getBytes(StandardCharsets.US_ASCII);
            if (mp4[typeOffset] == name[0] && mp4[typeOffset + 1] == name[1] && mp4[typeOffset + 2] == name[2]
                    && mp4[typeOffset + 3] == name[3]) {
                return true;
            }
        }
        return false;
    }

    /** @param fullBoxOffset offset of the version byte */
    private static void zeroTimes(byte[] mp4, int fullBoxOffset) {
        int fieldSize = mp4[fullBoxOffset] == 1 ? 8 : 4;
        int start = fullBoxOffset + 4;
        for (int i = start; i < start + 2 * fieldSize && i < mp4.length; i++) {
            mp4[i] = 0;
        }
    }
}
