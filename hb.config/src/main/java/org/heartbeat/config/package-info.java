/**
 * Reading the operator's configuration files: {@link org.heartbeat.config.ServerConfig} for
 * {@code ~/.hb.yaml}, {@link org.heartbeat.config.ClientConfig} for {@code ~/.hbc.yaml}. Every mistake is
 * reported with its key and line; unknown keys are warned about. This package is shared by the
 * Heartbeat runtimes and command line; it is not part of the plugin API.
 */
@Export
@Version("0.2.0")
package org.heartbeat.config;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
