"""Export (headless, never imports Qt): comparison sheets, CSV/JSON data, XMP sidecars."""
