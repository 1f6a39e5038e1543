/**
 * Host events: what happens in a host's life (it is new, booted, went overdue, recovered, was forgotten), as
 * structured records with a unique, stable id; the listener that receives every one of them, in order; and the
 * journal that keeps them.
 */
@Export
@Version("1.0.0")
package org.heartbeat.server.api.event;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
