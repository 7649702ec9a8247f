package io.klingrelay.status.stream;

import io.klingrelay.status.model.RequestView;

/**
 * A request's view sent to its campaign's partition (key: campaign id).
 *
 * @param view    the request's new view, or, when {@code removed}, its last view counted in this campaign
 * @param removed true when the request left this campaign (its campaign id changed)
 */
public record CampaignUpdate(RequestView view, boolean removed) {
}
