/**
 * Text output shared by the access log, trace and admin listener: JSON string escaping and a queued
 * line writer.
 */
package dev.ferry.proxy.output;
