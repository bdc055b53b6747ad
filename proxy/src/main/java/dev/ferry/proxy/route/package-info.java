/** Routing: the listener's routes compiled into a table that picks the route of each request. */
package dev.ferry.proxy.route;
