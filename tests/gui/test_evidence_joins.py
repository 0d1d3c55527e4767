"""A flag colours exactly the row of the measurement it judges — in the app's evidence panel
and in the sheet's table — on real analyses of every fault the sample shoot and the fidelity
tests make (eyes, lips, jaw, nose, brows, irises, skin tone, texture, garment, colour cast,
body). Before the typed result, the readers matched flags to rows by region or by closeness of
numbers, and the sheet marked rows that no flag judged."""

from __future__ import annotations

from functools import cache

import pytest
from PySide6.QtGui import QColor

from tests.core.fidelity.cases import CASES, twin_of
from tests.core.photos import PHOTOS, save
from twinproof.core.analysis import analyze_pair
from twinproof.core.result import AnalysisResult, Severity, descriptor, worst
from twinproof.core.result.descriptors import DESCRIPTORS
from twinproof.core.result.judge import breach
from twinproof.core.result.types import SEVERITY_RANK
from twinproof.export.evidence import metric_rows
from twinproof.paths import resource_path

pytestmark = pytest.mark.slow


@cache
def corpus(tmp: str) -> dict[str, AnalysisResult]:
    from pathlib import Path

    out: dict[str, AnalysisResult] = {}
    sample = resource_path("sample")
    for n in range(1, 7):
        out[f"look0{n}"] = analyze_pair(sample / f"look0{n}_real.jpg", sample / f"look0{n}_twin.jpg").result
    for case in CASES:
        if not case.expects:
            continue
        for photo in ("astronaut", "hopper"):
            real = save(PHOTOS[photo](), Path(tmp) / f"{photo}.png")
            twin = save(twin_of(case, photo), Path(tmp) / f"{photo}-{case.name}.png")
            out[f"{case.name} / {photo}"] = analyze_pair(real, twin).result
    return out


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return corpus(str(tmp_path_factory.mktemp("faults")))


def expected(result: AnalysisResult) -> dict[str, Severity]:
    """What each row must say: its flags' worst severity, or — where no flag is worse — the
    limit its own value breaks by the printed limits (one judging rule for every row, issue 25:
    the garment step keeps one flag of ΔE and hue, yet a hue past its limit reads fail)."""
    severities: dict[str, Severity] = {}
    for metric in {f.metric for f in result.flags}:
        found = worst(result.flags_on(metric))
        assert found is not None
        severities[metric] = found
    for desc in DESCRIPTORS:
        value = result.value(desc.path)
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue
        broken = breach(desc, float(value), result.policy, result.mode)
        if broken and (desc.path not in severities or SEVERITY_RANK[broken[0]] > SEVERITY_RANK[severities[desc.path]]):
            severities[desc.path] = broken[0]
    return severities


def test_the_corpus_covers_every_fault(results):
    flagged = {f.metric for r in results.values() for f in r.flags}
    for needed in ("face.changes.eyes.percent", "face.changes.lips.percent", "face.changes.jaw.percent",
                   "face.changes.nose.percent", "face.changes.brows.percent", "face.changes.irises.percent",
                   "texture.ratio", "colour.cast.magnitude"):
        assert needed in flagged, needed
    assert flagged & {"skin.ita_change", "skin.delta_e00"}
    assert flagged & {"garment.delta_e00_median_colour", "garment.hue_shift_deg"}
    assert any(m.startswith("body.") for m in flagged)


def test_the_sheet_colours_exactly_the_judged_rows(results):
    for name, result in results.items():
        want = {descriptor(m).label: str(s) for m, s in expected(result).items()}
        for row in metric_rows(result):
            if row.label in want:
                assert row.status == want[row.label], (name, row)
            else:
                assert row.status not in ("warn", "fail"), (name, row)
        shown = {row.label for row in metric_rows(result)}
        assert set(want) <= shown, (name, set(want) - shown)


def test_the_evidence_panel_colours_exactly_the_judged_rows(qtbot, results):
    from twinproof.gui.metrics import PATH_ROLE, SEVERITY_COLOURS, MetricsPanel
    from twinproof.gui.session import PairState
    from twinproof.review import PairRecord

    panel = MetricsPanel()
    qtbot.addWidget(panel)
    colours = {QColor(c).name(): sev for sev, c in SEVERITY_COLOURS.items()}
    for name, result in results.items():
        record = PairRecord(1, 1, name, "r", "a", "t", "b", None, None, "unreviewed", 1, False,
                            str(result.verdict), True)
        panel.show_pair(PairState(record, result.to_json()))
        seen: dict[str, str] = {}
        for i in range(panel.tree.topLevelItemCount()):
            item = panel.tree.topLevelItem(i)
            path = item.data(0, PATH_ROLE)
            if path:
                seen[path] = colours.get(item.foreground(1).color().name(), "ok")
        want = {m: str(s) for m, s in expected(result).items()}
        for path, status in seen.items():
            assert status == want.get(path, "ok"), (name, path, status)
        assert set(want) <= set(seen), (name, set(want) - set(seen))
