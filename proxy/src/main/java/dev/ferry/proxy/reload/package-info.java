/** Hot reload: a changed config file or SIGHUP applies new routes and clusters to new calls. */
package dev.ferry.proxy.reload;
