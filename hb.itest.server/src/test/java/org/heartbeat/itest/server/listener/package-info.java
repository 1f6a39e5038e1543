/** The event listener class the tests package into a bundle of its own; never a component of the test bundle. */
package org.heartbeat.itest.server.listener;
