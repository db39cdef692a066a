"""The package version: one place, read by the build (pyproject: tool.hatch.version) and every output."""

__version__ = "0.1.0"
