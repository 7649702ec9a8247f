package io.klingrelay.deploy.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

class AccountsFileTest {

    private static final KlingAccount AURORA = new KlingAccount("brand-aurora", "ak-aurora", "sk-aurora\"secret:#", 2);
    private static final KlingAccount BOREALIS = new KlingAccount("brand-borealis", "ak-borealis", "sk-borealis", 4);

    @TempDir
    Path dir;

    private static StackEndpoints endpoints() {
        Map<Service, Integer> ports = new EnumMap<>(Service.class);
        int port = 8101;
        for (Service service : Service.values()) {
            ports.put(service, port++);
        }
        return new StackEndpoints("127.0.0.1:9092", "redis://127.0.0.1:6379", null, "http://127.0.0.1:9000", "s3",
                "s3-secret", "callback-secret", ports, new KlingTarget.Emulator(List.of(AURORA, BOREALIS), 0.05),
                Duration.ofSeconds(20), Duration.ofSeconds(2));
    }

    @Test
    void holdsTheBaseUrlAndEveryAccountOnceAsTheServicesBindThem() {
        JsonNode kling = YAMLMapper.builder().build().readTree(AccountsFile.yaml(endpoints())).at("/klingrelay/kling");

        assertThat(kling.get("base-url").asString()).isEqualTo(endpoints().klingBaseUrl());
        assertThat(kling.get("accounts")).hasSize(2);
        assertThat(kling.at("/accounts/0/id").asString()).isEqualTo("brand-aurora");
        assertThat(kling.at("/accounts/0/secret-key").asString()).isEqualTo("sk-aurora\"secret:#");
        assertThat(kling.at("/accounts/1/concurrency-limit").asInt()).isEqualTo(4);
    }

    @Test
    void submitterAndPollerReadTheSameFileInsteadOfACopyOfEveryAccount() throws IOException {
        Path file = AccountsFile.write(dir.resolve("run/klingrelay-accounts.yml"), endpoints());

        Map<String, String> submitter = ServiceEnvironment.of(Service.SUBMITTER, endpoints(), 9200, Map.of(), file);
        Map<String, String> poller = ServiceEnvironment.of(Service.POLLER, endpoints(), 9300, Map.of(), file);
        Map<String, String> emulator = ServiceEnvironment.of(Service.KLING_EMULATOR, endpoints(), 8101, Map.of(), file);

        for (Map<String, String> env : List.of(submitter, poller)) {
            assertThat(env).containsEntry(AccountsFile.VARIABLE, file.toAbsolutePath().toString());
            assertThat(env.keySet()).noneMatch(name -> name.startsWith("KLINGRELAY_KLING_"));
            assertThat(env.values()).doesNotContain("sk-borealis");
        }
        assertThat(emulator).containsEntry("KLINGRELAY_EMULATOR_ACCOUNTS_1_SECRETKEY", "sk-borealis")
                .doesNotContainKey(AccountsFile.VARIABLE);
        assertThat(Files.readString(file)).contains("brand-borealis");
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
    }

    @Test
    void anAccountOfAnotherRegionGetsThatRegionsBaseUrlAndOnlyTheCredentialsTheRelayIsGiven() {
        KlingAccount keyOnly = new KlingAccount("cn-key", "ak-cn", "sk-cn-never-for-the-relay", 3, "key-cn", false);
        KlingAccount both = new KlingAccount("cn-both", "ak-both", "sk-both", 2, "key-both", true);

        JsonNode kling = YAMLMapper.builder().build().readTree(AccountsFile.yaml(endpoints(),
                Map.of("http://127.0.0.1:9901", List.of(keyOnly, both)))).at("/klingrelay/kling");

        assertThat(kling.get("accounts")).hasSize(4);
        assertThat(kling.at("/accounts/0/base-url").isMissingNode()).as("a default-region account").isTrue();
        assertThat(kling.at("/accounts/0/api-key").isMissingNode()).isTrue();
        JsonNode cnKey = kling.at("/accounts/2");
        assertThat(cnKey.get("id").asString()).isEqualTo("cn-key");
        assertThat(cnKey.get("api-key").asString()).isEqualTo("key-cn");
        assertThat(cnKey.get("base-url").asString()).isEqualTo("http://127.0.0.1:9901");
        assertThat(cnKey.has("access-key")).isFalse();
        assertThat(cnKey.has("secret-key")).isFalse();
        JsonNode cnBoth = kling.at("/accounts/3");
        assertThat(cnBoth.get("access-key").asString()).isEqualTo("ak-both");
        assertThat(cnBoth.get("secret-key").asString()).isEqualTo("sk-both");
        assertThat(cnBoth.get("api-key").asString()).isEqualTo("key-both");
        assertThat(cnBoth.get("base-url").asString()).isEqualTo("http://127.0.0.1:9901");
    }

    @Test
    void aRegionsEmulatorKnowsItsAccountsKeysOnItsOwnPortAndTheKeysStayOutOfToString() {
        KlingAccount keyOnly = new KlingAccount("cn-key", "ak-cn", "sk-cn", 3, "key-cn", false);

        Map<String, String> env = ServiceEnvironment.ofEmulator(new KlingTarget.Emulator(List.of(keyOnly), 0.01), 9901,
                Map.of("klingrelay.emulator.callbacks.retries", "1"));

        assertThat(env).containsEntry("SERVER_PORT", "9901")
                .containsEntry("KLINGRELAY_EMULATOR_PUBLICBASEURL", "http://127.0.0.1:9901")
                .containsEntry("KLINGRELAY_EMULATOR_ACCOUNTS_0_ACCESSKEY", "ak-cn")
                .containsEntry("KLINGRELAY_EMULATOR_ACCOUNTS_0_SECRETKEY", "sk-cn")
                .containsEntry("KLINGRELAY_EMULATOR_ACCOUNTS_0_APIKEY", "key-cn")
                .containsKey("SPRING_APPLICATION_JSON");
        assertThat(keyOnly.toString()).doesNotContain("sk-cn").doesNotContain("key-cn");
    }
}
