"""What changed between two versions of a spec: ``engine`` compares two models into the
``model`` of a diff, which the outputs (HTML, Markdown, JSON) render."""
