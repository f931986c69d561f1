"""Browser tests (Playwright + chromium)."""
