package io.klingrelay.klingemulator;

import io.klingrelay.common.testing.AbstractArchitectureTest;
import io.klingrelay.common.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** The house rules of STYLE.md 23 for the emulator's main code, including no package cycles. */
class ArchitectureTest extends AbstractArchitectureTest {

    ArchitectureTest() {
        super("io.klingrelay.klingemulator");
    }

    @Test
    void usesNoOtherService() {
        ArchitectureRules.noOtherService("io.klingrelay.klingemulator").check(classes());
    }
}
