/**
 * The Heartbeat plugin API: what metric plugins compile against.
 */
@Export
@Version("0.1.0")
package org.heartbeat.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
