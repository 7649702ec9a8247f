package io.klingrelay.campaign.command;

import io.klingrelay.campaign.remote.Connection;
import io.klingrelay.campaign.remote.StatusClient;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.JsonNode;

/**
 * {@code campaign status CAMPAIGN}: counts per state and per account, units used so far, the oldest
 * waiting request and failures grouped by reason, from the status service; ends with the summary
 * line. Exit 0 when nothing is pending, 1 otherwise or when the campaign is unknown.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Where a campaign stands: counts per state and account, units, oldest waiting request, failures by reason.")
public final class StatusCommand implements Callable<Integer> {

    @Parameters(paramLabel = "CAMPAIGN", description = "the campaign id")
    String campaignId = "";

    @Option(names = "--follow", description = "show progress until every request ended")
    boolean follow;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "PT30M", converter = DurationConverter.class,
            description = "how long --follow waits at most (default: 30m)")
    Duration timeout = Duration.ofMinutes(30);

    @Mixin
    ConnectionOptions connection = new ConnectionOptions();

    @Spec
    @Nullable CommandSpec spec;

    @Override
    public Integer call() {
        Console console = Console.of(Objects.requireNonNull(spec).commandLine().getOut(), System.getenv());
        return run(console, connection.resolve());
    }

    int run(Console console, Connection connection) {
        StatusClient status = connection.requireStatus();
        if (follow) {
            new Follower(connection, console, console.isInteractive()).follow(campaignId, 0, timeout);
        }
        Optional<JsonNode> view = status.campaign(campaignId);
        if (view.isEmpty()) {
            console.printf("campaign %s: unknown to the status service at %s%n", campaignId, status.baseUrl());
            return 1;
        }
        console.print(render(campaignId, view.get()));
        CampaignCounts counts = CampaignCounts.of(view.get(), 0);
        console.println(counts.summary(campaignId));
        return counts.pending() == 0 ? 0 : 1;
    }

    /**
     * @param campaignId the campaign
     * @param view       its view from the status service
     * @return the report, several lines
     */
    static String render(String campaignId, JsonNode view) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("campaign %s: %d requests (first seen %s, last update %s)%n", campaignId,
                view.path("total").asLong(0), text(view, "firstSeenAt"), text(view, "lastUpdateAt")));
        out.append("  by state:   ").append(CampaignCounts.of(view, 0).states()).append('\n');
        out.append("  by account:\n");
        view.path("accounts").properties().forEach(account -> out.append(String.format("    %-24s %s%n",
                account.getKey(), counts(account.getValue()))));
        out.append("  units used: ").append(view.path("units").isNull() || view.path("units").isMissingNode()
                ? "none reported yet" : view.path("units").asString()).append('\n');
        JsonNode oldest = view.path("oldestWaiting");
        out.append("  oldest waiting: ").append(oldest.isObject()
                ? text(oldest, "requestId") + " (" + text(oldest, "accountId") + ") since " + text(oldest, "since")
                : "none").append('\n');
        JsonNode failures = view.path("failuresByReason");
        out.append("  failures by reason:").append(failures.isEmpty() ? " none" : "").append('\n');
        failures.forEach(failure -> out.append(String.format("    %5d  %-11s %s%n", failure.path("count").asLong(0),
                text(failure, "stage"), text(failure, "reason"))));
        return out.toString();
    }

    private static String counts(JsonNode byState) {
        StringBuilder out = new StringBuilder();
        StatusClient.STATES.forEach(state -> {
            long n = byState.path(state).asLong(0);
            if (n > 0) {
                out.append(out.isEmpty() ? "" : ", ").append(state).append(' ').append(n);
            }
        });
        return out.toString();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() ? "-" : value.asString();
    }
}
