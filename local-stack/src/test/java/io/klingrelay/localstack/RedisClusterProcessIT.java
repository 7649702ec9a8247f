package io.klingrelay.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real three-master Redis Cluster formed without redis-cli, used through Lettuce's cluster client. */
class RedisClusterProcessIT {

    private static final String TWO_KEY_SCRIPT = """
            redis.call('SET', KEYS[1], ARGV[1])
            redis.call('SET', KEYS[2], ARGV[1])
            return redis.call('GET', KEYS[2])""";

    @TempDir
    static Path dataDir;

    private static RedisClusterProcess cluster;
    private static RedisClusterClient client;
    private static StatefulRedisClusterConnection<String, String> connection;

    @BeforeAll
    static void startCluster() {
        cluster = RedisClusterProcess.start(dataDir);
        client = RedisClusterClient.create(cluster.ports().stream()
                .map(port -> RedisURI.create("127.0.0.1", port)).toList());
        connection = client.connect();
    }

    @AfterAll
    static void stopCluster() {
        if (connection != null) {
            connection.close();
            client.shutdown();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void formsThreeMastersThatTogetherServeEverySlot() {
        List<RedisClusterNode> masters = connection.getPartitions().stream()
                .filter(node -> node.is(RedisClusterNode.NodeFlag.UPSTREAM)).toList();

        assertThat(masters).hasSize(3);
        assertThat(masters.stream().mapToInt(node -> node.getSlots().size()).sum()).isEqualTo(RedisClusterProcess.SLOTS);
        for (int port : cluster.ports()) {
            assertThat(cluster.info(port, "cluster")).contains("cluster_enabled:1");
        }
    }

    @Test
    void setsAndGetsKeysOfSlotsOnEveryNode() {
        // GIVEN
        RedisAdvancedClusterCommands<String, String> redis = connection.sync();
        Set<String> servingNodes = new HashSet<>();

        // WHEN
        for (int i = 0; i < 60; i++) {
            redis.set("key-" + i, "value-" + i);
            servingNodes.add(connection.getPartitions().getPartitionBySlot(SlotHash.getSlot("key-" + i)).getNodeId());
        }

        // THEN
        for (int i = 0; i < 60; i++) {
            assertThat(redis.get("key-" + i)).isEqualTo("value-" + i);
        }
        assertThat(servingNodes).hasSize(3);
    }

    @Test
    void runsAScriptOverTwoKeysOfOneHashTag() {
        String result = connection.sync().eval(TWO_KEY_SCRIPT, ScriptOutputType.VALUE,
                new String[] {"it:{brand-a}:queue", "it:{brand-a}:permits"}, "v");

        assertThat(result).isEqualTo("v");
        assertThat(connection.sync().get("it:{brand-a}:queue")).isEqualTo("v");
    }

    @Test
    void refusesAScriptOverKeysOfTwoSlotsWithCrossslot() {
        assertThat(SlotHash.getSlot("it:{brand-a}:queue")).isNotEqualTo(SlotHash.getSlot("it:accounts"));

        assertThatThrownBy(() -> connection.sync().eval(TWO_KEY_SCRIPT, ScriptOutputType.VALUE,
                new String[] {"it:{brand-a}:queue", "it:accounts"}, "v"))
                .isInstanceOf(RedisCommandExecutionException.class)
                .hasMessageContaining("CROSSSLOT");
    }

    @Test
    void runsEveryNodeWithAppendOnlyFilePersistence() {
        for (int port : cluster.ports()) {
            assertThat(cluster.info(port, "persistence")).contains("aof_enabled:1");
        }
    }

    @Test
    void splitsTheSlotsAsRedisCliDoes() {
        assertThat(RedisClusterProcess.slotRanges(3)).containsExactly(
                new int[] {0, 5460}, new int[] {5461, 10922}, new int[] {10923, 16383});
    }

    @Test
    void stopsEveryNodeOnClose(@TempDir Path otherDir) {
        RedisClusterProcess other = RedisClusterProcess.start(otherDir);
        List<ManagedProcess> processes = other.nodes().stream().map(RedisServerProcess::process).toList();

        other.close();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(processes).noneMatch(ManagedProcess::isAlive));
    }
}
