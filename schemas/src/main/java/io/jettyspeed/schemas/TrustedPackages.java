package io.jettyspeed.schemas;

/**
 * Avro 1.12 only instantiates generated classes from packages it trusts; ours must be among them
 * before the first generated class is loaded.
 */
final class TrustedPackages {

    static final String PROPERTY = "org.apache.avro.SERIALIZABLE_PACKAGES";
    static final String OUR_PACKAGE = "io.jettyspeed";

    private TrustedPackages() {
    }

    static void trustOurPackage() {
        String current = System.getProperty(PROPERTY);
        if (current == null || current.isBlank()) {
            System.setProperty(PROPERTY, OUR_PACKAGE);
        } else if (!current.contains(OUR_PACKAGE)) {
            System.setProperty(PROPERTY, current + "," + OUR_PACKAGE);
        }
    }
}
