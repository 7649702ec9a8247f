package io.klingrelay.submitter.admin;

import io.klingrelay.coordination.admission.AccountState;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The operations API of the submitter, under {@code /admin} (JSON). It changes shared Redis state,
 * so any instance can be called. With {@code klingrelay.submitter.admin-token} set, every call needs
 * {@code Authorization: Bearer <token>} ({@link AdminTokenFilter}, 401 otherwise); without it the API
 * is open, for local stacks, and belongs on an internal network only.
 * <ul>
 *   <li>{@code GET /admin/accounts}: every account's limits, permits, queue depths and pauses;</li>
 *   <li>{@code PUT /admin/accounts/{id}/limit} {@code {"limit": 5}}: in force until {@code DELETE
 *       /admin/accounts/{id}/limit} (a submitter starting does not undo it);</li>
 *   <li>{@code POST /admin/accounts/{id}/pause|resume|cancel};</li>
 *   <li>{@code POST /admin/campaigns/{campaignId}/pause|resume|cancel}.</li>
 * </ul>
 */
@RestController
@RequestMapping("/admin")
class AdminController {

    private final AdmissionOperations operations;

    AdminController(AdmissionOperations operations) {
        this.operations = operations;
    }

    @GetMapping("/accounts")
    List<AccountState> accounts() {
        return operations.accounts();
    }

    @PutMapping("/accounts/{accountId}/limit")
    AccountState setLimit(@PathVariable String accountId, @RequestBody LimitChange change) {
        return operations.setLimit(accountId, change.limit());
    }

    @DeleteMapping("/accounts/{accountId}/limit")
    AccountState clearLimit(@PathVariable String accountId) {
        return operations.clearLimit(accountId);
    }

    @PostMapping("/accounts/{accountId}/pause")
    AccountState pause(@PathVariable String accountId) {
        return operations.setPaused(accountId, true);
    }

    @PostMapping("/accounts/{accountId}/resume")
    AccountState resume(@PathVariable String accountId) {
        return operations.setPaused(accountId, false);
    }

    @PostMapping("/accounts/{accountId}/cancel")
    Map<String, Integer> cancelAccount(@PathVariable String accountId) {
        return Map.of("cancelled", operations.cancelAccount(accountId));
    }

    @PostMapping("/campaigns/{campaignId}/pause")
    Map<String, String> pauseCampaign(@PathVariable String campaignId) {
        operations.setCampaignPaused(campaignId, true);
        return Map.of("campaignId", campaignId, "state", "paused");
    }

    @PostMapping("/campaigns/{campaignId}/resume")
    Map<String, String> resumeCampaign(@PathVariable String campaignId) {
        operations.setCampaignPaused(campaignId, false);
        return Map.of("campaignId", campaignId, "state", "resumed");
    }

    @PostMapping("/campaigns/{campaignId}/cancel")
    Map<String, Integer> cancelCampaign(@PathVariable String campaignId) {
        return Map.of("cancelled", operations.cancelCampaign(campaignId));
    }

    @ExceptionHandler(NoSuchElementException.class)
    ResponseEntity<Map<String, String>> unknownAccount(NoSuchElementException e) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", e.getMessage()));
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Map<String, String>> badRequest(IllegalArgumentException e) {
        return ResponseEntity.badRequest().body(Map.of("error", e.getMessage()));
    }

    /** @param limit the new configured limit */
    record LimitChange(int limit) {
    }
}
