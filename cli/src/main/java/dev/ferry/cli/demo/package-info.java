/**
 * {@code ferry demo}'s browser page: plain files shipped in the jar, served on an origin of their
 * own.
 */
package dev.ferry.cli.demo;
