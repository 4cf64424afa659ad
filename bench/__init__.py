"""Benchmarks: `make bench` runs them all and writes the README's table; never timed in tests."""
