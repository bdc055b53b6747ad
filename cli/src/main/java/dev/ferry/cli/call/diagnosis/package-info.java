/** The report of a failed call: its cause in one line, what the status means, who generated it. */
package dev.ferry.cli.call.diagnosis;
