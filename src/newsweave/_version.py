"""The package version, apart from the package root so that reading it imports nothing else."""

__version__ = "0.1.0"
