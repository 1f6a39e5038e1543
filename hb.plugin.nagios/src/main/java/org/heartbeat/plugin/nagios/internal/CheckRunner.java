package org.heartbeat.plugin.nagios.internal;

/** Runs one check; {@link ProcessCheckRunner} does so in a process of its own. */
interface CheckRunner {
    /**
     * Runs {@code check} (which is {@linkplain CheckSpec#valid() valid}) and waits for it at most its timeout.
     *
     * @throws InterruptedException when interrupted; what the check started is killed first
     */
    CheckResult run(CheckSpec check) throws InterruptedException;

    /** Kills every check that is running, with what it started. */
    void killAll();
}
