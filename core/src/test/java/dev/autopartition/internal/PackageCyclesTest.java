package dev.autopartition.internal;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** No cycle between core's internal packages: each one can be read, tested and changed from the bottom up. */
class PackageCyclesTest {
    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.autopartition");

    @Test
    void internalPackagesAreFreeOfCycles() {
        slices().matching("dev.autopartition.internal.(*)..")
                .should()
                .beFreeOfCycles()
                .check(CORE);
    }

    @Test
    void pacingDependsOnNeitherTheEngineNorTheMigration() {
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses()
                .that()
                .resideInAPackage("dev.autopartition.internal.pace..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.autopartition.internal.exec..", "dev.autopartition.internal.migrate..")
                .check(CORE);
    }
}
