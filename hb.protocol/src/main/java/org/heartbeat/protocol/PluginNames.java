package org.heartbeat.protocol;

/** The rules for plugin names: 1 to {@value Protocol#MAX_PLUGIN_NAME} characters of {@code A-Z a-z 0-9 _ . -}. */
public final class PluginNames {
    private PluginNames() {
    }

    /** Whether {@code name} is a valid plugin name. */
    public static boolean valid(String name) {
        if (name == null || name.isEmpty() || name.length() > Protocol.MAX_PLUGIN_NAME) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.'
                    || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** Throws {@link IllegalArgumentException} when {@code name} is not a valid plugin name. */
    public static String check(String name) {
        if (!valid(name)) {
            throw new IllegalArgumentException("bad plugin name \"" + name + "\": use 1 to "
                    + Protocol.MAX_PLUGIN_NAME + " characters of A-Z a-z 0-9 _ . -");
        }
        return name;
    }
}
