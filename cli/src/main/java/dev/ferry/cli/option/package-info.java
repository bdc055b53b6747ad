/** Option values that several ferry commands read and show alike: durations. */
package dev.ferry.cli.option;
