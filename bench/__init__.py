"""Benchmarks: data generators and measurements that print `name value` lines (never assert)."""
