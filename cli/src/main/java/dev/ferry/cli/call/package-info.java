/**
 * {@code ferry call}: its command-line arguments, and the runner that checks them and picks the
 * mode.
 */
package dev.ferry.cli.call;
