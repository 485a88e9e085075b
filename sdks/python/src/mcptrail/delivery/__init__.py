"""Batches, a bounded queue, retries: getting events to the collector off the server's loop."""
