/** Load balancing: how each call picks one endpoint of its cluster. */
package dev.ferry.proxy.balance;
