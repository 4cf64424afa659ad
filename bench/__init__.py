"""Benchmarks: run with `.venv/bin/python -m bench.<name>`; results go in the README, never in tests."""
