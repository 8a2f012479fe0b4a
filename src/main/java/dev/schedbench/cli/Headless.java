package dev.schedbench.cli;

/** Charts from the command line need no display: a server without one must export PNG and HTML too. */
final class Headless {

    private Headless() {}

    static void ensure() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }
}
