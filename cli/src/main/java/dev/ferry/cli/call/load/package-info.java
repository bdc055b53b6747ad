/**
 * Load mode ({@code -n}, {@code --duration}): many calls at once, measured and checked against
 * SLOs.
 */
package dev.ferry.cli.call.load;
