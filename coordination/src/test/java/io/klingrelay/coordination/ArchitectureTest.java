package io.klingrelay.coordination;

import io.klingrelay.common.testing.AbstractArchitectureTest;

/** The house rules of STYLE.md 23 for this module's main code. */
class ArchitectureTest extends AbstractArchitectureTest {

    ArchitectureTest() {
        super("io.klingrelay.coordination");
    }
}
