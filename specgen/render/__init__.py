"""Model -> HTML fragments through Jinja templates in theme/; no MkDocs here."""
