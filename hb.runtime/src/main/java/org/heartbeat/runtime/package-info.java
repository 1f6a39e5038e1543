/**
 * Services both Heartbeat daemons offer to their own bundles: {@link org.heartbeat.runtime.LogOutput}.
 * Not part of the plugin API.
 */
@Export
@Version("0.1.0")
package org.heartbeat.runtime;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
