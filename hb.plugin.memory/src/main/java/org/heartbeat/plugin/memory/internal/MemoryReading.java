package org.heartbeat.plugin.memory.internal;

/**
 * Memory figures as read, in bytes; negative where unknown.
 *
 * @param total physical memory
 * @param available physical memory available to new programs without swapping ({@code MemAvailable} on Linux)
 * @param swapTotal swap space
 * @param swapUsed swap space in use
 */
record MemoryReading(long total, long available, long swapTotal, long swapUsed) {
}
