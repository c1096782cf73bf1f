"""Samenspel: a platform for a municipality and its heat initiatives to work as equal partners."""

__version__ = "0.1.0"
