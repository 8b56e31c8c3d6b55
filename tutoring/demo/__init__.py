"""Demonstration data and the synthetic generator for benchmarks (never for production).

Imports: may import every feature.
"""
