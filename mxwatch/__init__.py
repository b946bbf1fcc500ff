"""mxwatch: follow the news about foreign tech companies expanding in Mexico."""

__version__ = "0.1.0"
