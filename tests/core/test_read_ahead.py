"""Reading a pair ahead on a spare core: each image read once, and the very result of reading it
in turn; a reading another thread is making is waited for, and its failure is met here."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from twinproof.core import read_ahead
from twinproof.core.analysis import analyze_pair
from twinproof.core.reading import cache

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample"


def _without_timings(result) -> dict:  # type: ignore[no-untyped-def]
    out = result.to_json()
    out["analysis"].pop("seconds")
    out["metrics"]["landmarks"].pop("milliseconds", None)
    return out


def test_a_reading_being_made_elsewhere_is_waited_for_not_made_twice() -> None:
    cache.clear()
    started, release = threading.Event(), threading.Event()
    made: list[str] = []

    def slow() -> str:
        made.append("there")
        started.set()
        release.wait(10)
        return "read there"

    there = threading.Thread(target=lambda: cache.cached(("k", "1"), slow))
    there.start()
    started.wait(10)
    found: list[str] = []
    here = threading.Thread(target=lambda: found.append(cache.cached(("k", "1"), lambda: made.append("here") or "x")))
    here.start()
    here.join(0.2)
    assert here.is_alive()  # waiting, not making it again
    release.set()
    there.join(10)
    here.join(10)
    assert made == ["there"] and found == ["read there"]
    cache.clear()


def test_a_reading_that_failed_elsewhere_is_made_here_and_its_error_met_here() -> None:
    cache.clear()
    started, release = threading.Event(), threading.Event()

    def failing() -> str:
        started.set()
        release.wait(10)
        raise RuntimeError("models unusable")

    errors: list[BaseException] = []

    def there_job() -> None:
        try:
            cache.cached(("k", "2"), failing)
        except RuntimeError as exc:
            errors.append(exc)

    there = threading.Thread(target=there_job)
    there.start()
    started.wait(10)
    outcome: list[object] = []

    def here_job() -> None:
        try:
            outcome.append(cache.cached(("k", "2"), lambda: (_ for _ in ()).throw(ValueError("here"))))
        except ValueError as exc:
            outcome.append(exc)

    here = threading.Thread(target=here_job)
    here.start()
    release.set()
    there.join(10)
    here.join(10)
    assert len(errors) == 1 and isinstance(outcome[0], ValueError)  # each thread meets its own error
    assert cache.cached(("k", "2"), lambda: "made at last") == "made at last"  # nothing failed is kept
    cache.clear()


def test_nothing_is_read_ahead_without_a_spare_core(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TWINPROOF_THREADS", "1")
    assert read_ahead._submit(lambda: None) is None


@pytest.mark.slow
def test_reading_ahead_reads_each_image_once_and_gives_the_same_result(monkeypatch: pytest.MonkeyPatch) -> None:
    """The sample's first pair with and without a spare core: the same result, field for field,
    and the landmark models run once per image either way."""
    import twinproof.core.landmarks as landmarks

    real, twin = SAMPLE / "look01_real.jpg", SAMPLE / "look01_twin.jpg"
    calls: list[int] = []
    detect = landmarks.detect_landmarks

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(threading.get_ident())
        return detect(*args, **kwargs)

    monkeypatch.setattr(landmarks, "detect_landmarks", counting)
    results = {}
    for threads in ("1", "2"):
        monkeypatch.setenv("TWINPROOF_THREADS", threads)
        cache.clear()
        calls.clear()
        results[threads] = _without_timings(analyze_pair(real, twin).result)
        assert len(calls) == 2, threads
        if threads == "2":
            assert threading.get_ident() not in calls[:1]  # the real was read on the read-ahead thread
    assert results["1"] == results["2"]
    cache.clear()


@pytest.mark.slow
def test_a_kept_reals_next_twin_starts_its_garment_early_with_the_same_result(monkeypatch: pytest.MonkeyPatch) -> None:
    """One real, two twins: the first pair's garment waits for the colour step (it makes the
    real's CIELAB); the second's starts with the body, from the real's kept reading. Both give
    the results of one thread, field for field."""
    from twinproof.core import analysis, real_memo

    real, twins = SAMPLE / "look01_real.jpg", [SAMPLE / "look01_twin.jpg", SAMPLE / "look02_twin.jpg"]
    plans: list[dict[str, str | None]] = []
    plan = analysis.early_plan

    def recording(pair):  # type: ignore[no-untyped-def]
        plans.append(plan(pair))
        return plans[-1]

    monkeypatch.setattr(analysis, "early_plan", recording)
    results = {}
    for threads in ("1", "2"):
        monkeypatch.setenv("TWINPROOF_THREADS", threads)
        cache.clear()
        real_memo.clear()
        plans.clear()
        results[threads] = [_without_timings(analyze_pair(real, twin).result) for twin in twins]
    assert [p["garment_step"] for p in plans] == ["colour_step", None]
    assert results["1"] == results["2"]
    cache.clear()
