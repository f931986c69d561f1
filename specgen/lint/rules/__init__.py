"""One module per rule; ``specgen.lint.registry`` lists them all."""
