/** The plugin class the tests package into bundles of its own; never a component of the test bundle. */
package org.heartbeat.itest.client.plugin;
