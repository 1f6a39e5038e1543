package org.heartbeat.cli;

/** Exit statuses of hbd and hbc, listed in their --help. */
final class Exit {
    static final int OK = 0;
    /** Something failed at run time: a port in use, no daemon to talk to. */
    static final int FAILURE = 1;
    /** Wrong options or a configuration file with mistakes. */
    static final int USAGE = 2;

    static final String HELP_FOOTER = "%nExit status: 0 success, 1 failure, 2 wrong options or configuration.";

    private Exit() {
    }
}
