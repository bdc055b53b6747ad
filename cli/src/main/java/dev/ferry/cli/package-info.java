/** The ferry command and its subcommands (picocli): the top of the cli, which nothing imports. */
package dev.ferry.cli;
