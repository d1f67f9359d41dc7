package dev.parapet.cli;

import picocli.CommandLine;

/** Reports the build's version from the jar manifest. */
public final class Version implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = Main.class.getPackage().getImplementationVersion();
        return new String[] {"parapet " + (version == null ? "(development build)" : version)};
    }
}
