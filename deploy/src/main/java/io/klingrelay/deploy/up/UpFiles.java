package io.klingrelay.deploy.up;

import io.klingrelay.common.json.EventJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The files of a running {@code up} stack under its data folder: {@value #ENDPOINTS} (where
 * everything listens, with the local stack's secrets; owner-readable only) and {@value #PROCESSES}
 * (the supervisor and every process it started, by pid and start time, so {@code down} stops exactly
 * those and never a process that merely reuses a pid).
 *
 * @param dataDir the data folder
 */
public record UpFiles(Path dataDir) {

    /** The endpoints file (contract fields: bootstrapServers, redisUri, s3*, klingBaseUrl, submitterUrl, ...). */
    public static final String ENDPOINTS = "endpoints.json";
    /** The process list. */
    public static final String PROCESSES = "processes.json";

    public UpFiles {
        dataDir = dataDir.toAbsolutePath().normalize();
    }

    /** @return {@code <data-dir>/endpoints.json} */
    public Path endpoints() {
        return dataDir.resolve(ENDPOINTS);
    }

    /** @return {@code <data-dir>/processes.json} */
    public Path processes() {
        return dataDir.resolve(PROCESSES);
    }

    /** @return {@code <data-dir>/logs/up.log}, the supervisor's log */
    public Path supervisorLog() {
        return dataDir.resolve("logs").resolve("up.log");
    }

    /**
     * One recorded process.
     *
     * @param name      what it is ({@code supervisor}, or the command's main class or jar)
     * @param pid       the operating-system process id
     * @param startedAt its start time as the OS reports it (identifies it beside the pid)
     */
    public record RecordedProcess(String name, long pid, Instant startedAt) {

        /**
         * @param handle a live process
         * @param name   its name
         * @return its record, or empty when the OS does not report its start time
         */
        public static Optional<RecordedProcess> of(ProcessHandle handle, String name) {
            return handle.info().startInstant().map(start -> new RecordedProcess(name, handle.pid(), start));
        }

        /** @return the live process, only when the pid still belongs to the process recorded (same start time) */
        public Optional<ProcessHandle> live() {
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(handle -> handle.info().startInstant().map(startedAt::equals).orElse(false));
        }
    }

    /**
     * @param processes the supervisor first, then what it started
     */
    public void writeProcesses(List<RecordedProcess> processes) {
        write(processes(), EventJson.mapper().writeValueAsString(Map.of("processes", processes)));
    }

    /** @return the recorded processes (supervisor first), empty when none are recorded */
    public List<RecordedProcess> readProcesses() {
        Optional<JsonNode> tree = read(processes());
        List<RecordedProcess> processes = new ArrayList<>();
        tree.ifPresent(node -> node.path("processes").forEach(process -> processes.add(new RecordedProcess(
                process.path("name").asString(""), process.path("pid").asLong(), Instant.parse(process.path("startedAt").asString())))));
        return processes;
    }

    /** @param endpoints the endpoints, written owner-readable only (they carry the local stack's secrets) */
    public void writeEndpoints(Map<String, Object> endpoints) {
        write(endpoints(), EventJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(endpoints));
    }

    /** @return the endpoints, when the stack wrote them */
    public Optional<JsonNode> readEndpoints() {
        return read(endpoints());
    }

    private static Optional<JsonNode> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(EventJson.mapper().readTree(Files.readString(file)));
        } catch (IOException | JacksonException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static void write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(temporary);
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temporary, content + "\n");
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Removes both files (after {@code down}). */
    public void clear() {
        try {
            Files.deleteIfExists(endpoints());
            Files.deleteIfExists(processes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the files of " + dataDir, e);
        }
    }
}
