"""Capacity: whole-system school and district improvement."""

__version__ = "0.1.0"
