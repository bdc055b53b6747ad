/**
 * CORS for browser pages of other origins: a route's policy compiled for the data path, the
 * preflight the proxy answers itself, and the headers every answer to an allowed origin carries.
 */
package dev.ferry.proxy.cors;
