package io.guestbridge.app;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * Every main class of every module, imported once for all the architecture tests of this JVM: the import reads each
 * class file on the classpath and takes seconds, which every test class (and every test of one, as JUnit makes an
 * instance per test) used to pay again.
 */
final class MainClasses {

    /**
     * Main classes only: not the tests, and not the platform's test-jar (its store tests and TestDatabase) on this
     * module's test classpath.
     */
    static final ImportOption MAIN_ONLY = location -> ImportOption.Predefined.DO_NOT_INCLUDE_TESTS.includes(location)
            && !location.contains("-tests.jar");

    private MainClasses() {
    }

    static JavaClasses all() {
        return Holder.ALL;
    }

    private static final class Holder {
        static final JavaClasses ALL = new ClassFileImporter().withImportOption(MAIN_ONLY).importPackages("io.guestbridge");
    }
}
