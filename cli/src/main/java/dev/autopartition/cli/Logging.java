package dev.autopartition.cli;

/**
 * Sets up slf4j-simple (bundled in the jar) before the engine's first log line: warnings only, on stderr, unless
 * {@code --verbose} asks for each step. System properties set by the user ({@code -Dorg.slf4j.simpleLogger.*}) win.
 */
final class Logging {
    private static final String PREFIX = "org.slf4j.simpleLogger.";

    private Logging() {}

    static void configure(boolean verbose) {
        setIfAbsent("logFile", "System.err");
        setIfAbsent("defaultLogLevel", "warn");
        setIfAbsent("showThreadName", "false");
        setIfAbsent("showLogName", "false");
        setIfAbsent("levelInBrackets", "false");
        if (verbose) {
            setIfAbsent("log.dev.autopartition", "info");
        }
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(PREFIX + key) == null) {
            System.setProperty(PREFIX + key, value);
        }
    }
}
