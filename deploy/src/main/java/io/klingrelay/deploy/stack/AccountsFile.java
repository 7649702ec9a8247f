package io.klingrelay.deploy.stack;

import io.klingrelay.common.json.EventJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The one accounts file every service that calls Kling imports (README "Accounts";
 * {@code spring.config.import=optional:file:${KLINGRELAY_ACCOUNTS_FILE:…}} in the submitter's and the
 * poller's {@code application.yml}): {@code klingrelay.kling.base-url} and
 * {@code klingrelay.kling.accounts[]}. The launcher writes it once per run, readable by its owner
 * only, since it holds the keys.
 */
public final class AccountsFile {

    /** The environment variable naming the file. */
    public static final String VARIABLE = "KLINGRELAY_ACCOUNTS_FILE";

    private AccountsFile() {
    }

    /**
     * @param endpoints the running stack (its Kling base URL and accounts)
     * @return the file's YAML text (strings JSON-quoted, which YAML reads as they are)
     */
    public static String yaml(StackEndpoints endpoints) {
        return yaml(endpoints, Map.of());
    }

    /**
     * @param endpoints      the running stack (its Kling base URL and accounts, which use that base URL)
     * @param regionAccounts further accounts by the base URL of their region (another emulator), written
     *                       with that {@code base-url}
     * @return the file's YAML text (strings JSON-quoted, which YAML reads as they are); an account gets
     *         {@code access-key}/{@code secret-key} when the relay is given them and {@code api-key} when it has one
     */
    public static String yaml(StackEndpoints endpoints, Map<String, List<KlingAccount>> regionAccounts) {
        StringBuilder yaml = new StringBuilder("# written by the launcher: the Kling accounts of this run\n")
                .append("klingrelay:\n  kling:\n    base-url: ").append(quote(endpoints.klingBaseUrl())).append('\n')
                .append("    accounts:\n");
        for (KlingAccount account : endpoints.kling().accounts()) {
            append(yaml, account, null);
        }
        regionAccounts.forEach((baseUrl, accounts) -> accounts.forEach(account -> append(yaml, account, baseUrl)));
        return yaml.toString();
    }

    private static void append(StringBuilder yaml, KlingAccount account, @Nullable String baseUrl) {
        yaml.append("      - id: ").append(quote(account.id())).append('\n');
        if (account.relayGetsAccessKeys()) {
            yaml.append("        access-key: ").append(quote(account.accessKey())).append('\n')
                    .append("        secret-key: ").append(quote(account.secretKey())).append('\n');
        }
        if (account.apiKey() != null) {
            yaml.append("        api-key: ").append(quote(account.apiKey())).append('\n');
        }
        if (baseUrl != null) {
            yaml.append("        base-url: ").append(quote(baseUrl)).append('\n');
        }
        yaml.append("        concurrency-limit: ").append(account.concurrency()).append('\n');
    }

    /**
     * @param file      where to write it
     * @param endpoints the running stack
     * @return {@code file}, owner read/write only where the file system has POSIX permissions
     * @throws UncheckedIOException when it cannot be written
     */
    public static Path write(Path file, StackEndpoints endpoints) {
        return write(file, endpoints, Map.of());
    }

    /**
     * @param file           where to write it
     * @param endpoints      the running stack
     * @param regionAccounts further accounts by the base URL of their region ({@link #yaml(StackEndpoints, Map)})
     * @return {@code file}, owner read/write only where the file system has POSIX permissions
     * @throws UncheckedIOException when it cannot be written
     */
    public static Path write(Path file, StackEndpoints endpoints, Map<String, List<KlingAccount>> regionAccounts) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.deleteIfExists(file);
            Files.createFile(file);
            restrict(file);
            Files.writeString(file, yaml(endpoints, regionAccounts), StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the accounts file " + file, e);
        }
    }

    private static void restrict(Path file) throws IOException {
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }

    private static String quote(String value) {
        return EventJson.mapper().writeValueAsString(value);
    }
}
