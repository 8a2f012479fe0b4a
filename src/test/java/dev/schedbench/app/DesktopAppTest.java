package dev.schedbench.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

@ExtendWith(ApplicationExtension.class)
class DesktopAppTest {

    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        new DesktopApp().start(stage);
    }

    @Test
    void windowOpensWithTitleAndHeading(FxRobot robot) {
        assertEquals(DesktopApp.TITLE, stage.getTitle());
        assertTrue(stage.isShowing());
        Label heading = robot.lookup("#heading").queryAs(Label.class);
        assertTrue(heading.getText().startsWith("Schedbench"), heading.getText());
    }
}
