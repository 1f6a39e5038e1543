/**
 * Users of {@code hbd}: who they are, whether they are admins, where their notifications go, which hosts they
 * own, and how they prove who they are (password or API token). {@code hbd}'s core provides
 * {@link org.heartbeat.server.api.user.UserDirectory} from {@code users:} and {@code default_owner} of
 * {@code ~/.hb.yaml} and the token file. docs/USERS.md.
 */
@Export
@Version("1.1.0")
package org.heartbeat.server.api.user;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
