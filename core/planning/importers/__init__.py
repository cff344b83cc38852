"""Readers that turn published data files into a checked ``Economy``."""
