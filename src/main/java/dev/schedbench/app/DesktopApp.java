package dev.schedbench.app;

import dev.schedbench.model.Version;
import javafx.application.Application;
import javafx.geometry.Insets;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.BorderPane;
import javafx.stage.Stage;

/** The desktop workbench. */
public final class DesktopApp extends Application {

    public static final String TITLE = "Schedbench";

    public static void launchApp(String[] args) {
        Application.launch(DesktopApp.class, args);
    }

    @Override
    public void start(Stage stage) {
        stage.setScene(new Scene(createRoot(), 1100, 720));
        stage.setTitle(TITLE);
        stage.show();
    }

    static BorderPane createRoot() {
        Label heading = new Label("Schedbench " + Version.current().schedbench());
        heading.setId("heading");
        heading.setStyle("-fx-font-size: 20px; -fx-font-weight: bold;");
        Label hint = new Label("Compare LLM-serving scheduling policies. The command line does every step: schedbench --help");
        hint.setId("hint");
        BorderPane root = new BorderPane();
        root.setTop(heading);
        root.setCenter(hint);
        root.setPadding(new Insets(16));
        return root;
    }
}
