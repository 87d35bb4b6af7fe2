"""Khối: self-assessment of cultured, model units, stored in one local document."""

__version__ = "0.1.0"
APP_NAME = "Khối"
