/**
 * One call of a method known only by its descriptor: requests from JSON, metadata, the call, its
 * echo.
 */
package dev.ferry.cli.call.invoke;
