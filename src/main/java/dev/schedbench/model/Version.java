package dev.schedbench.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Versions of this build and of what it runs on, for {@code --version} and for every stored run. */
public record Version(String schedbench, String java, String javafx) {

    public static Version current() {
        Properties props = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("/dev/schedbench/version.properties")) {
            if (in != null) {
                props.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Version(props.getProperty("version", "dev"), Runtime.version().toString(),
                props.getProperty("javafx", "unknown"));
    }

    public String[] lines() {
        return new String[] {
            "schedbench " + schedbench,
            "Java " + java + " (" + System.getProperty("java.vendor", "unknown vendor") + ")",
            "JavaFX " + javafx
        };
    }
}
