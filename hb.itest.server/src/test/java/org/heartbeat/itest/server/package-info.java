/** OSGi tests of the hbd runtime: black-box, through UDP, HTTP, ConfigAdmin and the framework. */
package org.heartbeat.itest.server;
