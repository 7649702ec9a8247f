package io.klingrelay.campaign.input;

import io.klingrelay.campaign.estimate.Estimate;
import io.klingrelay.campaign.estimate.UnitsTable;
import io.klingrelay.common.event.GenerationRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Checks a whole campaign file before anything is published, streaming it once: each line must be
 * readable, pass the submitter's {@code RequestValidator}, belong to the file's one campaign, and
 * carry a request id not used by an earlier line. Only the request ids (for duplicates) and the
 * first {@value #MAX_REPORTED} problems are kept in memory.
 */
public final class FileCheck {

    /** Problems kept for the report; the rest are counted. */
    public static final int MAX_REPORTED = 200;

    private final AccountCatalog accounts;
    private final UnitsTable units;
    private final @Nullable String campaignOverride;

    /**
     * @param accounts         the deployment's accounts
     * @param units            the units table for the estimate
     * @param campaignOverride {@code --campaign-id}: the campaign of lines that name none, or null
     */
    public FileCheck(AccountCatalog accounts, UnitsTable units, @Nullable String campaignOverride) {
        this.accounts = accounts;
        this.units = units;
        this.campaignOverride = campaignOverride;
    }

    /**
     * @param file   the campaign file
     * @param format its format
     * @return the report
     * @throws CampaignFileException when the file as a whole is unusable (unreadable, CSV header)
     */
    public CheckReport check(Path file, CampaignFormat format) {
        State state = new State();
        try (CampaignReader reader = CampaignReader.open(file, format)) {
            while (reader.hasNext()) {
                state.accept(reader.next());
            }
        } catch (UncheckedIOException e) {
            throw new CampaignFileException("cannot read " + file + " after line " + state.lastLine + ": "
                    + e.getCause().getMessage(), e);
        }
        return new CheckReport(file, sha256(file), state.campaignId, state.lines, state.lines - state.problemCount,
                state.problems, state.problemCount, state.invalid, state.estimate);
    }

    /**
     * @param request    a parsed request
     * @param campaignId the file's campaign
     * @return the request with the file's campaign when it names none
     */
    public static GenerationRequest inCampaign(GenerationRequest request, @Nullable String campaignId) {
        if (request.campaignId() != null || campaignId == null) {
            return request;
        }
        return new GenerationRequest(request.schemaVersion(), request.eventId(), request.requestId(),
                request.accountId(), campaignId, request.priority(), request.product(), request.input(),
                request.createdAt(), request.retryOf());
    }

    /**
     * @param file a file
     * @return its SHA-256, lower-case hex
     */
    public static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new CampaignFileException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private final class State {
        private final Map<String, Long> firstLineOfId = new HashMap<>();
        private final List<LineProblem> problems = new ArrayList<>();
        private final BitSet invalid = new BitSet();
        private final Estimate estimate = new Estimate(units);
        private @Nullable String campaignId = campaignOverride;
        private long lines;
        private long lastLine;
        private long problemCount;

        void accept(CampaignLine line) {
            lines++;
            lastLine = line.lineNumber();
            GenerationRequest request = line.request();
            List<String> messages = request == null ? List.of(Objects.requireNonNull(line.error()))
                    : messages(line.lineNumber(), request);
            if (messages.isEmpty()) {
                estimate.add(Objects.requireNonNull(request));
            } else {
                reject(new LineProblem(line.lineNumber(), request == null ? null : request.requestId(), messages));
            }
        }

        private List<String> messages(long lineNumber, GenerationRequest request) {
            List<String> messages = new ArrayList<>(accounts.validatorFor(request).validate(request));
            checkCampaign(request, messages);
            String requestId = request.requestId();
            if (requestId != null) {
                Long first = firstLineOfId.putIfAbsent(requestId, lineNumber);
                if (first != null) {
                    messages.add("requestId: '" + requestId + "' is already used on line " + first);
                }
            }
            return messages;
        }

        private void checkCampaign(GenerationRequest request, List<String> messages) {
            String own = request.campaignId();
            if (own == null) {
                return;
            }
            if (campaignId == null) {
                campaignId = own;
            } else if (!campaignId.equals(own)) {
                messages.add("campaignId: '" + own + "' differs from this file's campaign '" + campaignId
                        + "' (one campaign per file)");
            }
        }

        private void reject(LineProblem problem) {
            problemCount++;
            if (problem.lineNumber() <= Integer.MAX_VALUE) {
                invalid.set((int) problem.lineNumber());
            }
            if (problems.size() < MAX_REPORTED) {
                problems.add(problem);
            }
        }
    }
}
