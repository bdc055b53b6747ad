/** Access control: which client addresses and certificate subjects may connect and call. */
package dev.ferry.proxy.acl;
