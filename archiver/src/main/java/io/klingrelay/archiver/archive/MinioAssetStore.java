package io.klingrelay.archiver.archive;

import io.klingrelay.archiver.download.AssetReadException;
import io.klingrelay.common.error.TransientException;
import io.minio.BucketExistsArgs;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.Http;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.MinioException;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link AssetStore} on S3 through the MinIO Java SDK 9.
 *
 * <p>S3 user metadata is fixed when an upload starts, but the SHA-256 of a streamed body is known
 * only at its end. A body of declared size up to {@value #SINGLE_PUT_LIMIT} bytes (images, small
 * clips) is therefore read into memory first and stored with one {@code PutObject}, metadata
 * ({@value #SHA256_METADATA}, {@value #REQUEST_ID_METADATA}) included. A larger body, or one of
 * unknown size, is streamed straight to its final key (multipart of unknown size, one part buffered
 * at a time; S3 makes a multipart object visible only once complete), and its SHA-256 and size are
 * then written to a small checksum object under {@value #CHECKSUM_PREFIX}{@code <key>}. No
 * server-side copy: the bytes cross the store once, which is what lets large-asset archiving run
 * at the store's own ingest rate (issue 10).
 *
 * <p>{@link #find} counts an object as archived when it carries the SHA-256 metadata, or when its
 * checksum object exists and names its size; an object without either (an archiver died between
 * the upload and the checksum) is treated as absent and overwritten.
 *
 * <p>MinIO SDK 9 reports S3 error answers as {@link MinioException}s but connection failures as
 * an {@link IllegalStateException} wrapping the {@code IOException}; both become a
 * {@link ObjectStoreUnavailableException} ("S3 unavailable", a {@link TransientException}).
 */
public final class MinioAssetStore implements AssetStore {

    /** User metadata key of the lower-case hex SHA-256. */
    public static final String SHA256_METADATA = "sha256";
    /** User metadata key of the request id. */
    public static final String REQUEST_ID_METADATA = "request-id";
    /** Key prefix of the checksum objects of streamed uploads: {@code .checksums/<object key>}. */
    public static final String CHECKSUM_PREFIX = ".checksums/";
    /** User metadata key of the size in bytes, on checksum objects. */
    public static final String SIZE_METADATA = "size";

    /** The largest declared size stored with one {@code PutObject} from memory (5 MiB, the smallest part size). */
    public static final long SINGLE_PUT_LIMIT = 5L * 1024 * 1024;

    private static final Logger log = LoggerFactory.getLogger(MinioAssetStore.class);
    private static final Set<String> NOT_FOUND = Set.of("NoSuchKey", "NoSuchObject", "NotFound", "ResourceNotFound");
    private static final Set<String> ALREADY_EXISTS = Set.of("BucketAlreadyOwnedByYou", "BucketAlreadyExists");

    private final MinioClient client;
    private final String bucket;
    private final long partSize;

    /**
     * @param client   the MinIO client
     * @param bucket   the bucket
     * @param partSize the multipart part size in bytes (5 MiB to 5 GiB)
     */
    public MinioAssetStore(MinioClient client, String bucket, long partSize) {
        this.client = client;
        this.bucket = bucket;
        this.partSize = partSize;
    }

    @Override
    public String bucket() {
        return bucket;
    }

    @Override
    public void ensureBucket() {
        try {
            if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
                log.info("created bucket {}", bucket);
            }
        } catch (MinioException | RuntimeException e) {
            if (!hasErrorCode(e, ALREADY_EXISTS)) {
                throw storageFailure("cannot check or create bucket " + bucket, e);
            }
        }
    }

    @Override
    public Optional<StoredObject> find(String objectKey) {
        Optional<StatObjectResponse> object = stat(objectKey);
        if (object.isEmpty()) {
            return Optional.empty();
        }
        StatObjectResponse stat = object.get();
        String sha256 = stat.userMetadata().getFirst(SHA256_METADATA);
        if (sha256 == null) {
            sha256 = stat(CHECKSUM_PREFIX + objectKey)
                    .filter(checksum -> String.valueOf(stat.size()).equals(checksum.userMetadata().getFirst(SIZE_METADATA)))
                    .map(checksum -> checksum.userMetadata().getFirst(SHA256_METADATA))
                    .orElse(null);
        }
        return sha256 == null ? Optional.empty()
                : Optional.of(new StoredObject(objectKey, stat.size(), sha256, contentTypeOf(stat)));
    }

    private Optional<StatObjectResponse> stat(String objectKey) {
        try {
            return Optional.of(client.statObject(StatObjectArgs.builder().bucket(bucket).object(objectKey).build()));
        } catch (MinioException | RuntimeException e) {
            if (hasErrorCode(e, NOT_FOUND)) {
                return Optional.empty();
            }
            throw storageFailure("cannot stat an object in bucket " + bucket, e);
        }
    }

    private static String contentTypeOf(StatObjectResponse stat) {
        String type = stat.contentType();
        return type == null ? "application/octet-stream" : type;
    }

    @Override
    public StoredObject put(String objectKey, InputStream body, String contentType, String requestId) {
        MessageDigest digest = sha256();
        CountingInputStream counted = new CountingInputStream(new DigestInputStream(body, digest));
        try {
            upload(objectKey, counted, contentType, requestId);
            String sha256 = HexFormat.of().formatHex(digest.digest());
            writeChecksum(objectKey, sha256, counted.count());
            return new StoredObject(objectKey, counted.count(), sha256, contentType);
        } catch (MinioException | RuntimeException e) {
            AssetReadException readFailure = readFailureIn(e);
            if (readFailure != null) {
                throw readFailure.failure();
            }
            throw storageFailure("cannot write an object to bucket " + bucket, e);
        }
    }

    @Override
    public StoredObject put(String objectKey, InputStream body, long size, String contentType, String requestId) {
        if (size < 0 || size > SINGLE_PUT_LIMIT) {
            return put(objectKey, body, contentType, requestId);
        }
        byte[] bytes = readDeclared(body, size);
        String sha256 = HexFormat.of().formatHex(sha256().digest(bytes));
        try {
            client.putObject(PutObjectArgs.builder().bucket(bucket).object(objectKey)
                    .stream(new ByteArrayInputStream(bytes), (long) bytes.length, -1L)
                    .contentType(contentType)
                    .userMetadata(Map.of(SHA256_METADATA, sha256, REQUEST_ID_METADATA, requestId))
                    .build());
            return new StoredObject(objectKey, bytes.length, sha256, contentType);
        } catch (MinioException | RuntimeException e) {
            throw storageFailure("cannot write an object to bucket " + bucket, e);
        }
    }

    private static byte[] readDeclared(InputStream body, long size) {
        try {
            byte[] bytes = body.readNBytes((int) size);
            if (bytes.length < size || body.read() >= 0) {
                throw new TransientException("the body has " + (bytes.length < size ? "fewer" : "more")
                        + " bytes than its declared " + size);
            }
            return bytes;
        } catch (AssetReadException e) {
            throw e.failure();
        } catch (IOException e) {
            throw new TransientException("cannot read the body: " + e.getClass().getSimpleName(), e);
        }
    }

    private void upload(String objectKey, InputStream body, String contentType, String requestId)
            throws MinioException {
        client.putObject(PutObjectArgs.builder().bucket(bucket).object(objectKey)
                .stream(body, -1L, partSize)
                .parallelUploads(1) // one part in memory at a time per upload
                .contentType(contentType)
                .userMetadata(Map.of(REQUEST_ID_METADATA, requestId))
                .build());
    }

    private void writeChecksum(String objectKey, String sha256, long size) throws MinioException {
        client.putObject(PutObjectArgs.builder().bucket(bucket).object(CHECKSUM_PREFIX + objectKey)
                .stream(new ByteArrayInputStream(new byte[0]), 0L, -1L)
                .contentType("application/octet-stream")
                .userMetadata(Map.of(SHA256_METADATA, sha256, SIZE_METADATA, Long.toString(size)))
                .build());
    }

    @Override
    public String presignedGetUrl(String objectKey, Duration expiry) {
        try {
            return client.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder()
                    .method(Http.Method.GET).bucket(bucket).object(objectKey)
                    .expiry(Math.toIntExact(expiry.toSeconds()))
                    .build());
        } catch (MinioException | RuntimeException e) {
            throw storageFailure("cannot presign a URL in bucket " + bucket, e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static ObjectStoreUnavailableException storageFailure(String detail, Exception e) {
        ErrorResponseException response = errorResponseIn(e);
        String code = response == null ? rootCause(e).getClass().getSimpleName() : response.errorResponse().code();
        return new ObjectStoreUnavailableException("object storage: " + detail + ": " + code, e);
    }

    private static boolean hasErrorCode(Throwable error, Set<String> codes) {
        ErrorResponseException response = errorResponseIn(error);
        return response != null && codes.contains(response.errorResponse().code());
    }

    private static @Nullable ErrorResponseException errorResponseIn(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ErrorResponseException response) {
                return response;
            }
        }
        return null;
    }

    private static @Nullable AssetReadException readFailureIn(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof AssetReadException read) {
                return read;
            }
        }
        return null;
    }

    private static Throwable rootCause(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    /** Counts the bytes read through it. */
    private static final class CountingInputStream extends FilterInputStream {

        private long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        long count() {
            return count;
        }
    }
}
