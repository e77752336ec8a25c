package org.babysitter.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The engine runs headless: no JavaFX, JFreeChart, AWT or Swing, and nothing from the app or the CLI; the model does
 * not know the trainer; the window's state does not know its charts.
 */
class ArchitectureTest {
    private static final JavaClasses ENGINE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.babysitter");

    @Test
    void engineHasNoUserInterfaceDependency() {
        noClasses().that().resideInAPackage("org.babysitter.engine..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.jfree..", "java.awt..", "javax.swing..")
                .check(ENGINE);
    }

    @Test
    void engineDoesNotReachIntoAppOrCli() {
        noClasses().that().resideInAPackage("org.babysitter.engine..")
                .should().dependOnClassesThat().resideInAnyPackage("org.babysitter.app..", "org.babysitter.cli..")
                .check(ENGINE);
    }

    @Test
    void cliDoesNotUseTheUserInterface() {
        noClasses().that().resideInAPackage("org.babysitter.cli..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.jfree..", "org.babysitter.app..")
                .check(ENGINE);
    }

    @Test
    void theWindowsStateKnowsNoChart() {
        // view models and controllers are testable without a window: the charts observe them, not the reverse
        noClasses().that().resideInAPackage("org.babysitter.app.session..")
                .should().dependOnClassesThat().resideInAnyPackage("org.babysitter.app.charts..", "org.babysitter.app.panels..",
                        "org.jfree..")
                .check(ENGINE);
    }

    @Test
    void theModelKnowsNoTrainer() {
        // layers and nets are trained by the trainer, never the reverse: a new layer needs nothing from engine.train
        noClasses().that().resideInAPackage("org.babysitter.engine.model..")
                .should().dependOnClassesThat().resideInAnyPackage("org.babysitter.engine.train..")
                .check(ENGINE);
    }

    @Test
    void theRuleCatchesAViolation() {
        JavaClasses offender = new ClassFileImporter().importClasses(ArchitectureTest.class, javafx.application.Platform.class);
        org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () ->
                noClasses().that().haveSimpleName("ArchitectureTest")
                        .should().dependOnClassesThat().resideInAnyPackage("javafx..")
                        .check(offender));
    }

    @SuppressWarnings("unused")
    private static void referencesJavaFx() {
        javafx.application.Platform.isFxApplicationThread();
    }
}
