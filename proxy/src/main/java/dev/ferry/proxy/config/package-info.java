/**
 * The proxy's configuration: the model, and loading it from YAML or flags with errors that say
 * where.
 */
package dev.ferry.proxy.config;
