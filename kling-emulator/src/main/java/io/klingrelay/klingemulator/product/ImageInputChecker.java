package io.klingrelay.klingemulator.product;

import io.klingrelay.klingemulator.wire.KlingApiException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.Iterator;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.jspecify.annotations.Nullable;

/**
 * Image input rules shared by most endpoints (kling-api.md §4.3): a URL is accepted as-is (never
 * fetched); a {@code data:} URI is rejected with Kling's real message; raw Base64 is decoded and must
 * be a jpg/png of at most 10 MB, at least 300 px per side and (unless exempt) an aspect ratio within
 * 1:2.5 … 2.5:1. Only the image header is read, never the pixels.
 */
final class ImageInputChecker {

    static final String NOT_BASE64 = "File is not in a valid base64 format";
    static final long MAX_BYTES = 10L * 1024 * 1024;
    static final int MIN_SIDE = 300;
    static final double MAX_RATIO = 2.5;
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private ImageInputChecker() {
    }

    /**
     * @param field the field name used in messages
     * @param value URL or raw Base64
     * @param checkRatio false for {@code image_tail}
     */
    static void check(String field, String value, boolean checkRatio) {
        if (value.startsWith("http://") || value.startsWith("https://")) {
            return;
        }
        if (value.startsWith("data:")) {
            throw RequestFields.invalid(NOT_BASE64);
        }
        byte[] bytes = decode(value);
        if (bytes.length > MAX_BYTES) {
            throw RequestFields.invalid(field + ": file size must be less than or equal to 10MB");
        }
        int[] size = dimensions(field, bytes);
        if (size[0] < MIN_SIDE || size[1] < MIN_SIDE) {
            throw RequestFields.invalid(field + ": width and height must be at least " + MIN_SIDE + "px");
        }
        if (checkRatio && ratioOutOfRange(size[0], size[1])) {
            throw RequestFields.invalid(field + ": aspect ratio must be between 1:2.5 and 2.5:1");
        }
    }

    /** @return width and height of a raw-Base64 jpg/png, or null for a URL or anything undecodable */
    static int @Nullable [] dimensionsOf(@Nullable String value) {
        if (value == null || value.isEmpty() || value.startsWith("http://") || value.startsWith("https://")
                || value.startsWith("data:")) {
            return null;
        }
        try {
            return dimensions("mask", decode(value));
        } catch (KlingApiException e) {
            return null;
        }
    }

    private static boolean ratioOutOfRange(int width, int height) {
        double ratio = (double) width / height;
        return ratio > MAX_RATIO || ratio < 1 / MAX_RATIO;
    }

    private static byte[] decode(String value) {
        try {
            return Base64.getDecoder().decode(WHITESPACE.matcher(value).replaceAll(""));
        } catch (IllegalArgumentException e) {
            throw RequestFields.invalid(NOT_BASE64);
        }
    }

    private static int[] dimensions(String field, byte[] bytes) {
        if (!isPng(bytes) && !isJpeg(bytes)) {
            throw RequestFields.invalid(field + ": allowed formats: jpg, jpeg, png");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw RequestFields.invalid(field + ": allowed formats: jpg, jpeg, png");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return new int[] {reader.getWidth(0), reader.getHeight(0)};
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw RequestFields.invalid(field + ": image cannot be decoded");
        }
    }

    private static boolean isPng(byte[] b) {
        return b.length > 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G';
    }

    private static boolean isJpeg(byte[] b) {
        return b.length > 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8;
    }
}
