package org.heartbeat.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import picocli.CommandLine.IVersionProvider;

/** The Heartbeat version, from the build. */
final class Version implements IVersionProvider {
    static final String VERSION = read();

    private static String read() {
        Properties p = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // fall through
        }
        return p.getProperty("version", "unknown");
    }

    @Override
    public String[] getVersion() {
        return new String[] {"${COMMAND-FULL-NAME} (Heartbeat) " + VERSION};
    }
}
