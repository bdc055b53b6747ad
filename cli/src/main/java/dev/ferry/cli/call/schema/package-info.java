/**
 * Where {@code ferry call} learns a schema (reflection, protosets, .proto files) and how it shows
 * one.
 */
package dev.ferry.cli.call.schema;
