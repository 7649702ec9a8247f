package io.klingrelay.common.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.lang.ArchRule;
import java.util.Arrays;
import java.util.List;

/**
 * The house rules (STYLE.md 23) as ArchUnit rules, each saying how to fix a violation. Every
 * module's {@code ArchitectureTest} checks the ones that apply to it.
 */
public final class ArchitectureRules {

    /** The service packages; none may use another. */
    public static final List<String> SERVICE_PACKAGES = List.of("io.klingrelay.submitter",
            "io.klingrelay.webhookreceiver", "io.klingrelay.poller", "io.klingrelay.archiver",
            "io.klingrelay.klingemulator", "io.klingrelay.status", "io.klingrelay.deploy");

    /** Jackson 2's databind stays out; annotations from com.fasterxml.jackson.annotation are fine. */
    public static final ArchRule NO_JACKSON_2 = noClasses().should().dependOnClassesThat()
            .resideInAPackage("com.fasterxml.jackson.databind..")
            .because("JSON is Jackson 3: inject tools.jackson.databind.json.JsonMapper (STYLE.md 10)");

    /** Configuration goes through records, never field injection of single values. */
    public static final ArchRule NO_VALUE_ANNOTATION = noClasses().should().dependOnClassesThat()
            .haveFullyQualifiedName("org.springframework.beans.factory.annotation.Value")
            .because("settings live in @ConfigurationProperties records (STYLE.md 9)");

    /** Logs go through SLF4J. */
    public static final ArchRule NO_SYSTEM_OUT = noClasses().should().accessField(System.class, "out")
            .orShould().accessField(System.class, "err")
            .because("log through SLF4J with {} placeholders; System.out bypasses log shipping (STYLE.md 8)");

    /** {@code common} holds contracts only. */
    public static final ArchRule COMMON_WITHOUT_SPRING = noClasses().that().resideInAPackage("io.klingrelay.common..")
            .should().dependOnClassesThat().resideInAPackage("org.springframework..")
            .because("common is a contract library every module depends on: no Spring (STYLE.md 3)");

    private ArchitectureRules() {
    }

    /**
     * @param modulePackage the module's root package, e.g. {@code io.klingrelay.poller}
     * @return the rule that the module's packages (its direct sub-packages with everything below
     *         them) import each other in a hierarchy, never in a cycle
     */
    public static ArchRule noPackageCycles(String modulePackage) {
        return slices().matching(modulePackage + ".(*)..").should().beFreeOfCycles()
                .because("packages read top-down: a cycle means two packages are one; move the shared type down"
                        + " or invert the dependency with an event or an interface (STYLE.md 23)");
    }

    /**
     * @param ownPackage the module's own package, e.g. {@code io.klingrelay.poller}
     * @return the rule that the module uses no other service's classes
     */
    public static ArchRule noOtherService(String ownPackage) {
        String[] others = SERVICE_PACKAGES.stream().filter(p -> !p.equals(ownPackage)).map(p -> p + "..")
                .toArray(String[]::new);
        return noClasses().that().resideInAPackage(ownPackage + "..").should().dependOnClassesThat()
                .resideInAnyPackage(Arrays.copyOf(others, others.length))
                .because("services meet only on Kafka topics, Redis keys and buckets (ARCHITECTURE.md)");
    }
}
