package io.klingrelay.webhookreceiver;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.klingrelay.common.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** The house rules of STYLE.md 23 that apply to this module's main code. */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.klingrelay.webhookreceiver");

    @Test
    void usesJackson3Only() {
        ArchitectureRules.NO_JACKSON_2.check(CLASSES);
    }

    @Test
    void bindsSettingsThroughPropertiesRecords() {
        ArchitectureRules.NO_VALUE_ANNOTATION.check(CLASSES);
    }

    @Test
    void logsThroughSlf4jOnly() {
        ArchitectureRules.NO_SYSTEM_OUT.check(CLASSES);
    }

    @Test
    void usesNoOtherService() {
        ArchitectureRules.noOtherService("io.klingrelay.webhookreceiver").check(CLASSES);
    }
}
