package org.heartbeat.server.internal.host;

import org.heartbeat.server.api.HostView;

/**
 * A host as the state file keeps it: what the API shows, plus what replay protection and the command queue need
 * to carry across a restart.
 *
 * @param view the host as the API shows it (owner, tags and dependencies are not saved: they come from the
 *        configuration)
 * @param lastSeq the sequence number of its last datagram
 * @param maxSeq the highest sequence number accepted from it while authenticated; 0 when none
 * @param nextCommandId the id its next command gets
 * @param commandsDone the highest command id its client reported done
 */
public record SavedHost(HostView view, long lastSeq, long maxSeq, long nextCommandId, long commandsDone) {
    public SavedHost {
        if (nextCommandId < 1) {
            nextCommandId = 1;
        }
    }

    public String name() {
        return view.name();
    }
}
