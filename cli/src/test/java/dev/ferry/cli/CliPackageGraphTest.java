package dev.ferry.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Keeps the cli's package graph one-way: the commands in {@code dev.ferry.cli} sit on top, and no
 * package below them imports them back or takes part in a cycle.
 */
@AnalyzeClasses(packages = "dev.ferry.cli", importOptions = ImportOption.DoNotIncludeTests.class)
class CliPackageGraphTest {
  /**
   * One slice per package, the root included: {@code dev.ferry.cli.(**)} would leave the root out
   * of every slice, and so miss a cycle through the commands.
   */
  @ArchTest
  static final ArchRule cliPackages_formNoCycle =
      slices().matching("dev.ferry.(cli..)").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule subPackages_doNotDependOnTheCommands =
      noClasses()
          .that()
          .resideInAPackage("dev.ferry.cli.*..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.ferry.cli");
}
