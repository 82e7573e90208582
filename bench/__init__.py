"""Benchmarks at scale, run from the README (`.venv/bin/python bench/run.py`); never part of the test suite."""
