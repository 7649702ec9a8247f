package io.klingrelay.campaign.command;

import io.klingrelay.campaign.remote.Connection;
import io.klingrelay.campaign.remote.SubmitterAdmin;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.JsonNode;

/**
 * {@code campaign pause|resume|cancel CAMPAIGN} through the submitter's admin API
 * ({@code POST /admin/campaigns/{id}/pause|resume|cancel}, {@code Authorization: Bearer <token>}).
 * Pause keeps the campaign's queued requests queued, resume dispatches them again, cancel fails the
 * queued ones with stage {@code cancelled} (requests already at Kling run to their end).
 */
public final class AdminCommands {

    private AdminCommands() {
    }

    abstract static class Base implements Callable<Integer> {

        @Parameters(paramLabel = "CAMPAIGN", description = "the campaign id")
        String campaignId = "";

        @Mixin
        ConnectionOptions connection = new ConnectionOptions();

        @Spec
        @Nullable CommandSpec spec;

        abstract SubmitterAdmin.Action action();

        @Override
        public Integer call() {
            Console console = Console.of(Objects.requireNonNull(spec).commandLine().getOut(), System.getenv());
            return run(console, connection.resolve());
        }

        int run(Console console, Connection connection) {
            JsonNode answer = connection.requireSubmitter().campaign(campaignId, action());
            switch (action()) {
                case CANCEL -> console.printf("campaign %s: cancelled %d queued request(s); requests already at Kling run to their end%n",
                        campaignId, answer.path("cancelled").asLong(0));
                case PAUSE -> console.printf("campaign %s: paused (queued requests wait; resume with: campaign resume %s)%n",
                        campaignId, campaignId);
                case RESUME -> console.printf("campaign %s: resumed%n", campaignId);
            }
            return 0;
        }
    }

    /** {@code campaign pause CAMPAIGN}. */
    @Command(name = "pause", mixinStandardHelpOptions = true, description = "Stop dispatching a campaign's queued requests (submitter admin API).")
    public static final class Pause extends Base {
        @Override
        SubmitterAdmin.Action action() {
            return SubmitterAdmin.Action.PAUSE;
        }
    }

    /** {@code campaign resume CAMPAIGN}. */
    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Dispatch a paused campaign's requests again.")
    public static final class Resume extends Base {
        @Override
        SubmitterAdmin.Action action() {
            return SubmitterAdmin.Action.RESUME;
        }
    }

    /** {@code campaign cancel CAMPAIGN}. */
    @Command(name = "cancel", mixinStandardHelpOptions = true,
            description = "Fail a campaign's queued requests with stage 'cancelled' (those at Kling run to their end).")
    public static final class Cancel extends Base {
        @Override
        SubmitterAdmin.Action action() {
            return SubmitterAdmin.Action.CANCEL;
        }
    }
}
