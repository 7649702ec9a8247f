package io.klingrelay.deploy.up;

import static org.assertj.core.api.Assertions.assertThat;

import io.klingrelay.deploy.stack.KlingTarget;
import io.klingrelay.deploy.stack.Service;
import io.klingrelay.deploy.stack.StackEndpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class UpFilesTest {

    @TempDir
    Path dir;

    @Test
    void recordsProcessesByPidAndStartTimeAndOnlyAMatchingStartTimeCountsAsLive() {
        UpFiles files = new UpFiles(dir);
        ProcessHandle self = ProcessHandle.current();
        UpFiles.RecordedProcess me = UpFiles.RecordedProcess.of(self, "supervisor").orElseThrow();
        UpFiles.RecordedProcess reused = new UpFiles.RecordedProcess("kafka", self.pid(), me.startedAt().minusSeconds(60));

        files.writeProcesses(List.of(me, reused));

        assertThat(files.readProcesses()).containsExactly(me, reused);
        assertThat(me.live()).contains(self);
        assertThat(reused.live()).as("same pid, another start time: another process, never signalled").isEmpty();
        assertThat(UpCommand.supervisor(files)).contains(me);
    }

    @Test
    void endpointsCarryTheContractFieldsAndAreReadableByTheOwnerOnly() throws Exception {
        UpFiles files = new UpFiles(dir);
        Map<Service, Integer> ports = new EnumMap<>(Service.class);
        for (Service service : Service.values()) {
            ports.put(service, 20_000 + service.ordinal());
        }
        StackEndpoints endpoints = new StackEndpoints("127.0.0.1:9092", "redis://127.0.0.1:6379", null,
                "http://127.0.0.1:9000", "access", "secret", "callback-secret", ports, KlingTarget.Emulator.demo(0.05),
                Duration.ofSeconds(20), Duration.ofSeconds(2));

        files.writeEndpoints(StackRunCommand.endpoints(endpoints, "admin-token-of-24-characters", dir));

        JsonNode json = files.readEndpoints().orElseThrow();
        assertThat(json.propertyNames()).contains("bootstrapServers", "redisUri", "s3Endpoint", "s3Bucket", "s3AccessKey",
                "s3SecretKey", "klingBaseUrl", "submitterUrl", "submitterAdminToken", "statusUrl", "webhookUrl");
        assertThat(json.path("submitterUrl").asString()).isEqualTo("http://127.0.0.1:" + ports.get(Service.SUBMITTER));
        assertThat(json.path("accounts").findValuesAsString("id")).containsExactly("brand-aurora", "brand-borealis");
        assertThat(json.toString()).doesNotContain("callback-secret");
        assertThat(Files.getPosixFilePermissions(files.endpoints())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        files.clear();
        assertThat(files.readEndpoints()).isEmpty();
        assertThat(Instant.now()).isNotNull();
    }
}
