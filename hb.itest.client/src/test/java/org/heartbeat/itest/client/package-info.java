/** OSGi tests of the hbc runtime: black-box, through a fake server's UDP socket, ConfigAdmin and the plugin directory. */
package org.heartbeat.itest.client;
