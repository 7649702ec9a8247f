package io.klingrelay.klingemulator.asset;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /admin/cdn/certificate}: the CDN mode's certificate as PEM (public data; no auth, like all of /admin). */
@RestController
@ConditionalOnBooleanProperty("klingrelay.emulator.assets.cdn.enabled")
public class CdnCertificateController {

    private final CdnConnector cdn;

    public CdnCertificateController(CdnConnector cdn) {
        this.cdn = cdn;
    }

    @GetMapping(value = "/admin/cdn/certificate", produces = "application/x-pem-file")
    String certificate() {
        return cdn.certificate().pem();
    }
}
