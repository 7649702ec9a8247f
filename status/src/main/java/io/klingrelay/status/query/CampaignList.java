package io.klingrelay.status.query;

import io.klingrelay.status.model.CampaignView;
import java.util.List;

/**
 * Campaigns, most recently updated first ({@code GET /campaigns}).
 *
 * @param campaigns the campaigns
 */
public record CampaignList(List<CampaignView> campaigns) {
}
