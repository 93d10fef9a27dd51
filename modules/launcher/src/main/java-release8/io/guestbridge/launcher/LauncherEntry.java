package io.guestbridge.launcher;

import java.lang.reflect.InvocationTargetException;

/**
 * The jar's main class, compiled for Java 8 so that an older JVM gets to run it: everything else is
 * compiled for Java 17, and an older JVM would otherwise stop at the first class with an
 * UnsupportedClassVersionError and a stack trace that says nothing about what to install. On 17 or
 * later it hands over to {@code Launcher} (reached by name: this file is compiled apart from it).
 */
public final class LauncherEntry {

    static final int REQUIRED = 17;

    private LauncherEntry() {
    }

    public static void main(String[] args) throws Exception {
        String refusal = refusal(System.getProperty("java.specification.version"), System.getProperty("java.home"));
        if (refusal != null) {
            System.err.println(refusal);
            System.exit(1);
        }
        try {
            Class.forName("io.guestbridge.launcher.Launcher").getMethod("main", String[].class).invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception) {
                throw (Exception) cause;
            }
            throw (Error) cause;
        }
    }

    /** What to tell the user when this JVM is too old, or null when it will do. */
    static String refusal(String specificationVersion, String javaHome) {
        int feature = featureVersion(specificationVersion);
        if (feature >= REQUIRED) {
            return null;
        }
        return "guestbridge: this is Java " + (feature > 0 ? String.valueOf(feature) : specificationVersion) + " (" + javaHome
                + "), and guestbridge needs Java " + REQUIRED + " or later. Install a JDK " + REQUIRED + " (for example "
                + "`apt-get install openjdk-17-jdk-headless`, or Temurin 17 from adoptium.net), then run the same command with "
                + "it: put its bin directory first on PATH, or call it directly (/path/to/jdk-17/bin/java -jar ...). "
                + "`java -version` shows which Java the command finds.";
    }

    /** "1.8" is 8, "11" is 11, "17" is 17; anything unreadable is 0. */
    static int featureVersion(String specificationVersion) {
        if (specificationVersion == null) {
            return 0;
        }
        String version = specificationVersion.startsWith("1.") ? specificationVersion.substring(2) : specificationVersion;
        int end = 0;
        while (end < version.length() && Character.isDigit(version.charAt(end))) {
            end++;
        }
        try {
            return end == 0 ? 0 : Integer.parseInt(version.substring(0, end));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
