/** What the distribution is made of that the build writes itself: the man pages. */
package dev.ferry.dist;
