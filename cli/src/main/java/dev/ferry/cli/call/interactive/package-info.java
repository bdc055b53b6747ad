/**
 * Interactive mode ({@code --interactive}): a prompt that lists, describes and calls, with
 * completion.
 */
package dev.ferry.cli.call.interactive;
