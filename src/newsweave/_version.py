"""The package version, in a module of its own.

Modules that need the version import it from here, not from the package root, so that reading it
does not import the whole public API (and with it the analysis stack).
"""

__version__ = "0.1.0"
