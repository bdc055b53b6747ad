/**
 * {@code ferry import nginx}: reads an nginx configuration, maps what ferry can carry to its YAML
 * and reports the rest with file:line.
 */
package dev.ferry.cli.importer.nginx;
