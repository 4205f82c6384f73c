"""Trend Radar: collect security and IT news, detect emerging trends, place them on a radar."""

__version__ = "0.1.0"
