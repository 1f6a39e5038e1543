/**
 * What Heartbeat's HTTP notification channels share, copied into each channel bundle at build time (bnd
 * {@code -conditionalpackage}): a private package of every such bundle, never exported and never deployed as a
 * bundle of its own, so that a channel still imports {@code org.heartbeat.api.notify}, its own libraries and
 * {@code java.*} alone.
 *
 * <ul>
 * <li>{@link org.heartbeat.notify.support.HttpSender}: one channel's {@code java.net.http} client on threads the
 * channel owns and stops when it is deactivated; a timeout or a transport error becomes a retry, and no secret
 * leaves in a delivery's detail;</li>
 * <li>{@link org.heartbeat.notify.support.Answers}: a service's JSON answer and a short snippet of any answer;</li>
 * <li>{@link org.heartbeat.notify.support.Keys}: the checks of configuration keys whose messages name the
 * key.</li>
 * </ul>
 */
package org.heartbeat.notify.support;
