"""A team server that accepts the connection and never answers (a stuck server, a wrong port
of another service) froze the app for good: the connection waited forever on the GUI thread.
It now gives up in seconds with the message any unreachable server gets."""

from __future__ import annotations

import time


def test_a_silent_team_server_is_a_message_not_a_frozen_window(window, silent_server, monkeypatch):
    from twinproof.gui import dialogs
    from twinproof.gui.shootops import CONNECT_TIMEOUT_S

    errors: list[tuple[str, str]] = []
    monkeypatch.setattr(dialogs, "show_error", lambda _p, title, text: errors.append((title, text)))
    start = time.monotonic()
    window.open_database(f"postgresql+psycopg://reviewer:pw@127.0.0.1:{silent_server}/shoots")
    assert time.monotonic() - start < CONNECT_TIMEOUT_S + 10
    assert window.session is None
    assert len(errors) == 1 and errors[0][0] == "Cannot open the shoot", errors
    assert "timeout" in errors[0][1] and ":pw@" not in errors[0][1], errors  # no password shown
