package io.klingrelay.klingemulator.task;

/**
 * Where asset URLs point when the emulator's own port does not serve them: implemented by the asset
 * package's CDN connector (CDN mode), so {@link AssetUrlSigner} needs no web-server types.
 */
@FunctionalInterface
public interface AssetBaseUrl {

    /** @return the base of asset URLs without a trailing slash, e.g. {@code https://cdn.example:8443} */
    String baseUrl();
}
