"""A new shot compared person to person: two readings, no registration (``new_shot.py``)."""
