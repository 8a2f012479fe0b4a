package dev.schedbench;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The house plan: layers point down, only {@code app} sees JavaFX, only {@code store} sees JDBC. */
@AnalyzeClasses(packages = "dev.schedbench", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String ROOT = "dev.schedbench";

    @ArchTest
    static final ArchRule layersPointDown = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .withOptionalLayers(true)
            .layer("entry").definedBy(ROOT)
            .layer("app").definedBy(ROOT + ".app..")
            .layer("cli").definedBy(ROOT + ".cli..")
            .layer("suite").definedBy(ROOT + ".suite..")
            .layer("report").definedBy(ROOT + ".report..")
            .layer("store").definedBy(ROOT + ".store..")
            .layer("bench").definedBy(ROOT + ".bench..")
            .layer("metrics").definedBy(ROOT + ".metrics..")
            .layer("server").definedBy(ROOT + ".server..")
            .layer("sim").definedBy(ROOT + ".sim..")
            .layer("data").definedBy(ROOT + ".data..")
            .layer("model").definedBy(ROOT + ".model..")
            .whereLayer("entry").mayNotBeAccessedByAnyLayer()
            .whereLayer("app").mayOnlyBeAccessedByLayers("entry")
            .whereLayer("cli").mayOnlyBeAccessedByLayers("entry", "app")
            .whereLayer("suite").mayOnlyBeAccessedByLayers("entry", "app", "cli")
            .whereLayer("report").mayOnlyBeAccessedByLayers("entry", "app", "cli", "suite")
            .whereLayer("store").mayOnlyBeAccessedByLayers("entry", "app", "cli", "suite", "report")
            .whereLayer("bench").mayOnlyBeAccessedByLayers("entry", "app", "cli", "suite", "report", "store")
            .whereLayer("metrics").mayOnlyBeAccessedByLayers("entry", "app", "cli", "suite", "report", "store", "bench")
            .whereLayer("server").mayOnlyBeAccessedByLayers("entry", "app", "cli", "suite", "report", "store", "bench", "metrics")
            .whereLayer("sim").mayOnlyBeAccessedByLayers("entry", "app", "cli", "suite", "report", "store", "bench", "metrics", "server")
            .whereLayer("data").mayOnlyBeAccessedByLayers("entry", "app", "cli", "suite", "report", "store", "bench", "metrics", "server", "sim")
            .as("each layer of DESIGN.md section 2 only imports layers below it");

    @ArchTest
    static final ArchRule onlyAppTouchesJavaFx = noClasses()
            .that().resideOutsideOfPackage(ROOT + ".app..")
            .and().resideOutsideOfPackage(ROOT)
            .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.controlsfx..", "org.jfree.chart.fx..")
            .as("only the app layer imports JavaFX");

    @ArchTest
    static final ArchRule onlyStoreTouchesJdbc = noClasses()
            .that().resideOutsideOfPackage(ROOT + ".store..")
            .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "org.sqlite..")
            .as("only the store layer imports JDBC");

    @ArchTest
    static final ArchRule noRawThreads = noClasses()
            .should().callConstructor(Thread.class)
            .orShould().callConstructor(Thread.class, Runnable.class)
            .orShould().callConstructor(Thread.class, Runnable.class, String.class)
            .as("feature code starts threads through builders or executors, never new Thread");
}
