/**
 * A parser for .proto source (proto3 and common proto2) so that {@code --proto} needs no protoc.
 */
package dev.ferry.cli.call.schema.proto;
