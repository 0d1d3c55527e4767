"""The review record (headless, never imports Qt)."""
