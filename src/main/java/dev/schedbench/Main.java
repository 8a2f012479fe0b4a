package dev.schedbench;

import dev.schedbench.app.DesktopApp;
import dev.schedbench.cli.SchedbenchCommand;

/**
 * Entry point of the one runnable jar: no arguments opens the desktop app, any argument is the
 * command line. Deliberately not a JavaFX {@code Application}, so the shaded jar starts from the
 * class path and the command line never loads the toolkit.
 */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        if (args.length == 0) {
            DesktopApp.launchApp(args);
            return;
        }
        System.exit(SchedbenchCommand.run(args));
    }
}
