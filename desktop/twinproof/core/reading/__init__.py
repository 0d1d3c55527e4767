"""Each image read on its own: its face and identity, skin, garment, white balance and body,
in its own pixels. A new shot is compared reading to reading (``core/compare``); readings are
kept per file content and model versions (``cache.py``) so a photograph paired with several
twins is read once."""
