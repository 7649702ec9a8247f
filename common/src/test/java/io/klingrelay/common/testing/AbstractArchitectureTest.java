package io.klingrelay.common.testing;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The house rules every module's main code follows (STYLE.md 23). A module's
 * {@code ArchitectureTest} extends this with its own package and adds the rules that apply only
 * to it.
 */
public abstract class AbstractArchitectureTest {

    private final String modulePackage;
    private final JavaClasses classes;

    /** @param modulePackage the module's root package, e.g. {@code io.klingrelay.poller} */
    protected AbstractArchitectureTest(String modulePackage) {
        this.modulePackage = modulePackage;
        this.classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(modulePackage);
    }

    /** @return the module's main classes */
    protected JavaClasses classes() {
        return classes;
    }

    @Test
    void usesJackson3Only() {
        ArchitectureRules.NO_JACKSON_2.check(classes);
    }

    @Test
    void bindsSettingsThroughPropertiesRecords() {
        ArchitectureRules.NO_VALUE_ANNOTATION.check(classes);
    }

    @Test
    void logsThroughSlf4jOnly() {
        ArchitectureRules.NO_SYSTEM_OUT.check(classes);
    }

    @Test
    void hasNoPackageCycles() {
        ArchitectureRules.noPackageCycles(modulePackage).check(classes);
    }
}
