/** Passive outlier detection: endpoints whose calls keep failing are ejected for a while. */
package dev.ferry.proxy.outlier;
