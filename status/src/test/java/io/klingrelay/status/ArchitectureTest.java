package io.klingrelay.status;

import io.klingrelay.common.testing.AbstractArchitectureTest;
import io.klingrelay.common.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** The house rules of STYLE.md 23 for this module's main code. */
class ArchitectureTest extends AbstractArchitectureTest {

    ArchitectureTest() {
        super("io.klingrelay.status");
    }

    @Test
    void usesNoOtherService() {
        ArchitectureRules.noOtherService("io.klingrelay.status").check(classes());
    }
}
