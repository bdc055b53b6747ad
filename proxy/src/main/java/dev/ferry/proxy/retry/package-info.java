/** Retries that understand gRPC: budgets and backoff for calls tried again after a status. */
package dev.ferry.proxy.retry;
