"""Internals of ``benchmarks/run.py``: workloads, implementations, measurements, report.

Not part of the sklaudio package; imported only by ``benchmarks/run.py`` and its
worker subprocesses.
"""
