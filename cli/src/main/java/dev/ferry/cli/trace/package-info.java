/** What {@code ferry trace} adds to the proxy's tap: schemas that turn messages into JSON. */
package dev.ferry.cli.trace;
