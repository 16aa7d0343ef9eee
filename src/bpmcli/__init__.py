"""bpm: blameless postmortems as code."""

__version__ = "0.3.0"
