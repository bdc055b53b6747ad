/** The example gRPC backends greeter and daininki, with reflection, health and fault injection. */
package dev.ferry.testservers;
