/**
 * The checks a CI job puts on a call's outcome: its status, and JSON its responses must contain.
 */
package dev.ferry.cli.call.expect;
