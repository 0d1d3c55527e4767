"""Decoder warnings caught on several threads at once: each decode notes its own, and the
process's warning state is what it was (``core/caught_warnings.py``)."""

from __future__ import annotations

import threading
import warnings
from pathlib import Path

import pytest

from twinproof.core.analysis import analyze_pair
from twinproof.core.caught_warnings import decoder_warnings
from twinproof.core.imageio import load_image

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample"


def test_decodes_on_eight_threads_each_note_their_warning_under_a_strict_filter(bad_dir: Path) -> None:
    """Under pytest's strict filter ("error"), a corrupt EXIF block decoded on eight threads at
    once reads "decoder warning" on every one (with ``catch_warnings`` entered by two threads at
    once, one of them raised instead), and the filters are restored afterwards."""
    found: list[list[str]] = []
    failed: list[BaseException] = []
    start = threading.Barrier(8)

    def decode() -> None:
        start.wait(10)
        try:
            found.append(load_image(bad_dir / "corrupt_exif.jpg").handling)
        except BaseException as exc:  # noqa: BLE001 - the test reports it
            failed.append(exc)

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        before = list(warnings.filters)
        threads = [threading.Thread(target=decode) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert warnings.filters == before
    assert not failed, failed
    assert len(found) == 8
    assert all(any(note.startswith("decoder warning: Corrupt EXIF") for note in notes) for notes in found), found


def test_a_second_decode_waits_until_the_first_has_restored_the_warning_state() -> None:
    """Two ``catch_warnings`` entered by two threads at once restore each other's state on the way
    out (the process is left recording every later warning into a dead list); the second decode
    waits instead."""
    inside, release = threading.Event(), threading.Event()
    order: list[str] = []

    def first() -> None:
        with decoder_warnings():
            order.append("first in")
            inside.set()
            release.wait(10)
            order.append("first out")

    def second() -> None:
        inside.wait(10)
        with decoder_warnings():
            order.append("second in")

    before = (list(warnings.filters), warnings.showwarning)
    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    threads[1].join(0.3)
    assert threads[1].is_alive()  # waiting for the first decode
    release.set()
    for t in threads:
        t.join(10)
    assert order == ["first in", "first out", "second in"]
    assert (list(warnings.filters), warnings.showwarning) == before


def test_a_warning_from_another_library_is_logged_not_noted_against_the_image(
        caplog: pytest.LogCaptureFixture) -> None:
    import numpy as np

    with caplog.at_level("INFO", logger="twinproof.warnings"), decoder_warnings() as caught:
        np.log(np.zeros(1))  # numpy's "divide by zero": another thread's kind of warning
    assert caught == []
    assert "RuntimeWarning: divide by zero" in caplog.text


@pytest.mark.slow
def test_a_twin_with_a_corrupt_exif_block_reads_a_decoder_warning_with_a_spare_core(
        bad_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The fault that switched the read-ahead helpers off: with them on, the twin's warning
    escaped under the strict filter and the pair failed to load."""
    monkeypatch.setenv("TWINPROOF_THREADS", "2")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = analyze_pair(SAMPLE / "look01_real.jpg", bad_dir / "corrupt_exif.jpg").result
    assert any(note.startswith("decoder warning: Corrupt EXIF") for note in result.twin.colour_handling)
