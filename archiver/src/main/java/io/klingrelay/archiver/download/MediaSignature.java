package io.klingrelay.archiver.download;

import io.klingrelay.common.error.PermanentException;
import io.klingrelay.common.event.AssetKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Checks that an asset's body is the media its kind claims, before any byte is stored: a CDN or
 * gateway that answers 200 with an HTML page or a JSON error must not end up archived as the
 * video. Two checks, both cheap and streaming:
 * <ul>
 *   <li>the declared {@code Content-Type}, when present: text ({@code text/*}) and JSON or XML
 *       ({@code application/json}, {@code application/xml}, {@code *+json}, {@code *+xml}) are
 *       refused;</li>
 *   <li>the first {@value #HEAD_BYTES} bytes (read ahead, then pushed back, so the body is never
 *       buffered whole): a video starts with an ISO-BMFF/QuickTime box, i.e. {@code ftyp},
 *       {@code moov}, {@code mdat}, {@code free}, {@code skip} or {@code wide} at offset 4 (the
 *       Kling emulator serves H.264 MP4s starting with {@code ftyp}), or with WebM's EBML header
 *       {@code 1A 45 DF A3}; an image starts with the PNG signature {@code 89 50 4E 47 0D 0A 1A 0A},
 *       JPEG's {@code FF D8 FF}, {@code RIFF????WEBP} or {@code GIF87a}/{@code GIF89a}.</li>
 * </ul>
 * A mismatch is a {@link PermanentException} naming the asset index and what the body looks like
 * ({@code asset 0 is text/html, not a video}), never the URL.
 */
final class MediaSignature {

    /** Bytes read ahead to check the signature. */
    static final int HEAD_BYTES = 12;

    private static final Set<String> VIDEO_BOXES = Set.of("ftyp", "moov", "mdat", "free", "skip", "wide");
    private static final byte[] EBML = {0x1a, 0x45, (byte) 0xdf, (byte) 0xa3};
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final byte[] JPEG = {(byte) 0xff, (byte) 0xd8, (byte) 0xff};
    private static final byte[] GIF87A = "GIF87a".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] GIF89A = "GIF89a".getBytes(StandardCharsets.US_ASCII);

    private MediaSignature() {
    }

    /**
     * @param contentType the declared {@code type/subtype} without parameters, or null when absent
     * @param kind        what the asset claims to be
     * @param index       the asset index
     * @throws PermanentException when the declared type is text, JSON or XML
     */
    static void checkDeclaredType(@Nullable String contentType, AssetKind kind, int index) {
        if (contentType != null && isDocumentType(contentType.toLowerCase(Locale.ROOT))) {
            throw notMedia(index, contentType.toLowerCase(Locale.ROOT), kind);
        }
    }

    private static boolean isDocumentType(String type) {
        return type.startsWith("text/") || type.equals("application/json") || type.equals("application/xml")
                || type.endsWith("+json") || type.endsWith("+xml");
    }

    /**
     * Reads the first {@value #HEAD_BYTES} bytes of {@code body} (fewer if it is shorter) and checks
     * them against {@code kind}'s signatures.
     *
     * @param body  the asset body
     * @param kind  what the asset claims to be
     * @param index the asset index
     * @return a stream of the whole body, the checked bytes included
     * @throws PermanentException when the first bytes are not a signature of {@code kind}
     * @throws io.klingrelay.common.error.KlingRelayException as classified by the body's
     *         {@link AssetReadException} when reading fails (size cap, deadline, broken connection)
     */
    static InputStream checkedBody(InputStream body, AssetKind kind, int index) {
        PushbackInputStream pushback = new PushbackInputStream(body, HEAD_BYTES);
        byte[] head = readHead(pushback);
        if (!matches(head, kind)) {
            throw mismatch(index, head, kind);
        }
        try {
            pushback.unread(head);
        } catch (IOException e) {
            throw new IllegalStateException("the pushback buffer holds " + HEAD_BYTES + " bytes", e);
        }
        return pushback;
    }

    private static byte[] readHead(InputStream body) {
        try {
            return body.readNBytes(HEAD_BYTES);
        } catch (AssetReadException e) {
            throw e.failure();
        } catch (IOException e) {
            throw new IllegalStateException("the guarded body reports every read failure as AssetReadException", e);
        }
    }

    /**
     * @param head the first bytes of a body
     * @param kind what it should be
     * @return whether they start like {@code kind}
     */
    static boolean matches(byte[] head, AssetKind kind) {
        return switch (kind) {
            case VIDEO -> isVideo(head);
            case IMAGE -> isImage(head);
        };
    }

    private static boolean isVideo(byte[] head) {
        boolean box = head.length >= 8 && VIDEO_BOXES.contains(new String(head, 4, 4, StandardCharsets.US_ASCII));
        return box || startsWith(head, EBML);
    }

    private static boolean isImage(byte[] head) {
        boolean webp = head.length >= 12 && startsWith(head, "RIFF".getBytes(StandardCharsets.US_ASCII))
                && "WEBP".equals(new String(head, 8, 4, StandardCharsets.US_ASCII));
        return startsWith(head, PNG) || startsWith(head, JPEG) || webp || startsWith(head, GIF87A)
                || startsWith(head, GIF89A);
    }

    private static boolean startsWith(byte[] head, byte[] prefix) {
        return head.length >= prefix.length && Arrays.equals(head, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static PermanentException mismatch(int index, byte[] head, AssetKind kind) {
        String looksLike = looksLike(head);
        if (looksLike != null) {
            return notMedia(index, looksLike, kind);
        }
        if (head.length < HEAD_BYTES) {
            return new PermanentException("asset " + index + " is only " + head.length + " bytes long, too short for "
                    + article(kind));
        }
        return new PermanentException("asset " + index + " does not start like " + article(kind) + " (first bytes "
                + hex(head, 4) + "…)");
    }

    /** @return {@code text/html}, {@code application/json} or {@code text/xml} when the bytes read as one, else null */
    private static @Nullable String looksLike(byte[] head) {
        String text = new String(head, StandardCharsets.ISO_8859_1).stripLeading().toLowerCase(Locale.ROOT);
        if (text.startsWith("<?xml")) {
            return "text/xml";
        }
        if (text.startsWith("<")) {
            return "text/html";
        }
        if (text.startsWith("{") || text.startsWith("[")) {
            return "application/json";
        }
        return null;
    }

    private static PermanentException notMedia(int index, String type, AssetKind kind) {
        return new PermanentException("asset " + index + " is " + type + ", not " + article(kind));
    }

    private static String article(AssetKind kind) {
        return kind == AssetKind.IMAGE ? "an image" : "a video";
    }

    private static String hex(byte[] bytes, int max) {
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < Math.min(max, bytes.length); i++) {
            hex.append(String.format("%02X", bytes[i] & 0xff));
        }
        return hex.toString();
    }
}
