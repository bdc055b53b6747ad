/** How a ferry command ends: its exit codes, and the one-line failure a user can act on. */
package dev.ferry.cli.exit;
