"""specgen: lint, render, diff and publish AI behaviour specs."""

__version__ = "0.1.0"
