package org.heartbeat.runtime;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Where the daemon's log goes: standard output, or the log file named by the launcher
 * ({@value #LOGFILE_PROPERTY}), rotated by size. A service.
 */
@ProviderType
public interface LogOutput {
    /** Framework property: the log file; standard output without it. */
    String LOGFILE_PROPERTY = "heartbeat.logfile";
    /** Framework property: "true" to write debug entries too. */
    String VERBOSE_PROPERTY = "heartbeat.verbose";
    /** Framework property: rotate the log file when it reaches this many bytes; 0 never. */
    String MAX_BYTES_PROPERTY = "heartbeat.log.maxbytes";
    /** Framework property: how many rotated files to keep. */
    String KEEP_PROPERTY = "heartbeat.log.keep";

    /** Closes and reopens the log file, after logrotate has moved it away; nothing for standard output. */
    void reopen();
}
