package io.klingrelay.common;

import io.klingrelay.common.testing.AbstractArchitectureTest;
import io.klingrelay.common.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** The house rules of STYLE.md 23 for this module's main code. */
class ArchitectureTest extends AbstractArchitectureTest {

    ArchitectureTest() {
        super("io.klingrelay.common");
    }

    @Test
    void holdsContractsWithoutSpring() {
        ArchitectureRules.COMMON_WITHOUT_SPRING.check(classes());
    }
}
