/** Script mode ({@code --script}): a YAML smoke test's calls and checks run against its targets. */
package dev.ferry.cli.call.script;
