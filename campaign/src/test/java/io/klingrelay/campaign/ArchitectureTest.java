package io.klingrelay.campaign;

import io.klingrelay.common.testing.AbstractArchitectureTest;
import io.klingrelay.common.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** The house rules of STYLE.md 23 for the campaign CLI's main code (its console is picocli's writer, not System.out). */
class ArchitectureTest extends AbstractArchitectureTest {

    ArchitectureTest() {
        super("io.klingrelay.campaign");
    }

    @Test
    void usesNoService() {
        ArchitectureRules.noOtherService("io.klingrelay.campaign").check(classes());
    }
}
