package dev.ferry.proxy.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the proxy's package graph one-way, as DESIGN.md draws it: the root package orchestrates and
 * nothing imports it, no two packages import each other (directly or round a loop), configuration
 * is data that imports no runtime code, and the proxy knows nothing of the command line.
 */
class ProxyPackageGraphTest {
  private static JavaClasses proxy;

  @BeforeAll
  static void importMainClasses() {
    proxy =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.ferry.proxy");
  }

  @Test
  void packages_formNoCycle() {
    slices().matching("dev.ferry.proxy.(**)").should().beFreeOfCycles().check(proxy);
  }

  @Test
  void rootPackage_isImportedByNoOtherPackage() {
    noClasses()
        .that()
        .resideInAPackage("dev.ferry.proxy..")
        .and()
        .resideOutsideOfPackage("dev.ferry.proxy")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.ferry.proxy")
        .check(proxy);
  }

  @Test
  void config_importsNoRuntimeCode() {
    classes()
        .that()
        .resideInAPackage("dev.ferry.proxy.config")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "dev.ferry.proxy.config",
            "dev.ferry.proxy.status",
            "java..",
            "org.snakeyaml..",
            // Protobuf's descriptors: a protoset is parsed and linked when the config is read.
            "com.google.protobuf..")
        .check(proxy);
  }

  @Test
  void proxy_knowsNothingOfTheCommandLine() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.ferry.cli..", "picocli..")
        .check(proxy);
  }
}
