package io.klingrelay.deploy.up;

import io.klingrelay.deploy.stack.KlingAccount;
import io.klingrelay.deploy.stack.KlingTarget;
import io.klingrelay.deploy.stack.LocalStack;
import io.klingrelay.deploy.stack.Service;
import io.klingrelay.deploy.stack.StackConfig;
import io.klingrelay.deploy.stack.StackEndpoints;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The supervisor behind {@code klingrelay up} (hidden {@code stack-run}): starts the local stack
 * (the demo's processes; the submitter's admin API guarded by a random token), records every process
 * it started in {@code processes.json}, writes {@code endpoints.json}, and holds the stack until it
 * is sent SIGTERM ({@code klingrelay down}), when {@link LocalStack#close()} stops everything.
 */
@Command(name = "stack-run", hidden = true, description = "Run the local stack in the foreground until SIGTERM (used by 'up').")
public final class StackRunCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(StackRunCommand.class);

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "up-data")
    Path dataDir = Path.of("up-data");

    @Option(names = "--time-scale", paramLabel = "FACTOR", defaultValue = "0.05")
    double timeScale = 0.05;

    @Option(names = "--poller-grace", paramLabel = "DURATION", defaultValue = "20s")
    Duration pollerGrace = Duration.ofSeconds(20);

    @Option(names = "--start-timeout", paramLabel = "DURATION", defaultValue = "8m")
    Duration startTimeout = Duration.ofMinutes(8);

    @Option(names = "--home", paramLabel = "DIR", hidden = true, defaultValue = "${sys:klingrelay.home:-.}")
    Path home = Path.of(".");

    @Override
    public Integer call() throws InterruptedException {
        UpFiles files = new UpFiles(dataDir);
        KlingTarget target = KlingTarget.fromEnvironment(System.getenv(), timeScale);
        String adminToken = KlingAccount.randomHex(24);
        StackConfig build = StackConfig.forBuild(home, files.dataDir(), target, pollerGrace);
        // a longer health timeout than the demo's: 'up' often starts beside other work on a small machine
        StackConfig config = new StackConfig(build.dataDir(), build.libDir(), build.servicesDir(), build.s3proxyJar(),
                target, pollerGrace, build.pollerInterval(), startTimeout, 1, Map.of(), false)
                .withProperties(Service.SUBMITTER, Map.of("klingrelay.submitter.admin-token", adminToken));
        LocalStack stack = LocalStack.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(files::clear, "up-clear-files"));
        files.writeProcesses(processes());
        files.writeEndpoints(endpoints(stack.endpoints(), adminToken, files.dataDir()));
        log.info("local stack up; endpoints in {}", files.endpoints());
        new CountDownLatch(1).await();
        return 0;
    }

    /** @return this supervisor, then every live descendant (Kafka, Redis, s3proxy, the services) */
    private static List<UpFiles.RecordedProcess> processes() {
        List<UpFiles.RecordedProcess> processes = new ArrayList<>();
        UpFiles.RecordedProcess.of(ProcessHandle.current(), "supervisor").ifPresent(processes::add);
        ProcessHandle.current().descendants().forEach(handle -> UpFiles.RecordedProcess.of(handle, name(handle))
                .ifPresent(processes::add));
        return processes;
    }

    private static String name(ProcessHandle handle) {
        String[] arguments = handle.info().arguments().orElse(new String[0]);
        for (int i = 0; i < arguments.length - 1; i++) {
            if ("-jar".equals(arguments[i])) {
                return Path.of(arguments[i + 1]).getFileName().toString();
            }
        }
        Optional<String> mainClass = Arrays.stream(arguments).filter(argument -> argument.matches("[a-z]+(\\.[a-zA-Z0-9_]+)+"))
                .reduce((first, second) -> second);
        return mainClass.orElse(handle.info().command().map(command -> Path.of(command).getFileName().toString()).orElse("?"));
    }

    /**
     * @param endpoints  the running stack
     * @param adminToken the submitter's admin token
     * @param dataDir    the data folder
     * @return the endpoints.json content (contract 5 fields first)
     */
    static Map<String, Object> endpoints(StackEndpoints endpoints, String adminToken, Path dataDir) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("bootstrapServers", endpoints.bootstrapServers());
        json.put("redisUri", endpoints.redisUri());
        json.put("s3Endpoint", endpoints.s3Endpoint());
        json.put("s3Bucket", StackConfig.BUCKET);
        json.put("s3AccessKey", endpoints.s3AccessKey());
        json.put("s3SecretKey", endpoints.s3SecretKey());
        json.put("klingBaseUrl", endpoints.klingBaseUrl());
        json.put("submitterUrl", endpoints.baseUrl(Service.SUBMITTER));
        json.put("submitterAdminToken", adminToken);
        json.put("statusUrl", statusService().map(endpoints::baseUrl).orElse(null));
        json.put("webhookUrl", endpoints.baseUrl(Service.WEBHOOK_RECEIVER));
        Map<String, String> services = new LinkedHashMap<>();
        for (Service service : Service.values()) {
            if (service != Service.KLING_EMULATOR || endpoints.kling() instanceof KlingTarget.Emulator) {
                services.put(service.moduleName(), endpoints.baseUrl(service));
            }
        }
        json.put("services", services);
        json.put("accounts", endpoints.kling().accounts().stream()
                .map(account -> Map.of("id", account.id(), "concurrencyLimit", account.concurrency())).toList());
        json.put("dataDir", dataDir.toString());
        json.put("startedAt", Instant.now().toString());
        return json;
    }

    /** The status service, once the {@code status} module is part of the stack ({@code Service} named "status"). */
    private static Optional<Service> statusService() {
        return Arrays.stream(Service.values()).filter(service -> "status".equals(service.moduleName())).findFirst();
    }
}
