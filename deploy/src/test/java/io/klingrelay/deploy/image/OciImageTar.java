package io.klingrelay.deploy.image;

import io.klingrelay.common.json.EventJson;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One image read from an OCI image layout tarball (what Jib's {@code buildTar} writes with
 * {@code <format>OCI</format>}): {@code index.json} names the manifest, the manifest names the
 * config and the layers, each a blob under {@code blobs/sha256/}. Source: OCI image-spec
 * "image-layout", "manifest" and "config".
 *
 * @param config    the image configuration ({@code config.Entrypoint}, {@code config.User}, ...)
 * @param layers    each layer's file paths, base image first, in manifest order
 */
record OciImageTar(JsonNode config, List<List<String>> layers) {

    private static final int BLOCK = 512;

    /**
     * @param tar the image tarball
     * @return the image
     * @throws UncheckedIOException when the tar cannot be read
     */
    static OciImageTar read(Path tar) {
        Map<String, byte[]> files = entries(tar, false);
        JsonNode index = json(files.get("index.json"));
        JsonNode manifest = json(blob(files, index.get("manifests").get(0).get("digest").asString()));
        JsonNode config = json(blob(files, manifest.get("config").get("digest").asString()));
        List<List<String>> layers = new ArrayList<>();
        for (JsonNode layer : manifest.get("layers")) {
            layers.add(layerPaths(blob(files, layer.get("digest").asString())));
        }
        return new OciImageTar(config, layers);
    }

    private static byte[] blob(Map<String, byte[]> files, String digest) {
        byte[] blob = files.get("blobs/" + digest.replace(':', '/'));
        if (blob == null) {
            throw new IllegalStateException("blob " + digest + " missing from the tar");
        }
        return blob;
    }

    private static JsonNode json(byte[] bytes) {
        return EventJson.mapper().readTree(bytes);
    }

    private static List<String> layerPaths(byte[] gzippedTar) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzippedTar))) {
            return List.copyOf(read(in, true).keySet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, byte[]> entries(Path tar, boolean namesOnly) {
        try (InputStream in = Files.newInputStream(tar)) {
            return read(in, namesOnly);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A minimal ustar/pax reader: regular files and directories, pax and GNU long names. */
    private static Map<String, byte[]> read(InputStream in, boolean namesOnly) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        @Nullable String longName = null;
        byte[] header;
        while ((header = in.readNBytes(BLOCK)).length == BLOCK && header[0] != 0) {
            String name = text(header, 0, 100);
            String prefix = text(header, 345, 155);
            long size = octal(text(header, 124, 12));
            char type = (char) header[156];
            byte[] content = readContent(in, size, namesOnly && type != 'x' && type != 'L');
            if (type == 'x') {
                longName = paxPath(content);
                continue;
            }
            if (type == 'L') {
                longName = new String(content, StandardCharsets.UTF_8).trim();
                continue;
            }
            String path = longName != null ? longName : prefix.isEmpty() ? name : prefix + "/" + name;
            longName = null;
            files.put(stripDot(path), content);
        }
        return files;
    }

    private static byte[] readContent(InputStream in, long size, boolean skip) throws IOException {
        long padded = (size + BLOCK - 1) / BLOCK * BLOCK;
        if (skip) {
            in.skipNBytes(padded);
            return new byte[0];
        }
        byte[] content = in.readNBytes((int) size);
        in.skipNBytes(padded - size);
        return content;
    }

    private static @Nullable String paxPath(byte[] pax) {
        for (String line : new String(pax, StandardCharsets.UTF_8).split("\n")) {
            int space = line.indexOf(' ');
            String record = line.substring(space + 1);
            if (record.startsWith("path=")) {
                return record.substring("path=".length());
            }
        }
        return null;
    }

    private static String text(byte[] header, int offset, int length) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = offset; i < offset + length && header[i] != 0; i++) {
            out.write(header[i]);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static long octal(String field) {
        String digits = field.trim();
        return digits.isEmpty() ? 0 : Long.parseLong(digits, 8);
    }

    private static String stripDot(String path) {
        String stripped = path.startsWith("./") ? path.substring(2) : path;
        return stripped.startsWith("/") ? stripped.substring(1) : stripped;
    }
}
