"""Schema 4 records each judged value's yardstick where the analysis decides it. Real new shots
of one man (``../shared/faces-more/ramiz/s2``; the twin his photograph 1 with the jaw slimmed
10 %, the fidelity tests' warp) analysed with 3 reference portraits, with 1 (too few for his
range), with none, and a control frame: the fields the analysis wrote must name, for every
judged row, the yardstick schema 3's words said (``test_yardstick._words_rule``), and a copy
stripped to schema 3 must read the same through the upgrade's text rule."""

from __future__ import annotations

import copy

import pytest
from PIL import Image

from tests.core.result.test_yardstick import _recorded, _words_rule
from tests.data.results.make_v3 import S2, slimmed_twin
from twinproof.core.analysis import analyze_pair
from twinproof.core.result import AnalysisResult, rows

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not (S2 / "1.jpg").is_file(), reason="../shared/faces-more is absent")]


def _as_schema_3(data: dict) -> dict:
    old = copy.deepcopy(data)
    old["schema"] = 3
    old["analysis"].pop("against")
    for unc in (old.get("uncertainty") or {}).values():
        unc.pop("against")
        unc.pop("portraits", None)
    if isinstance(old["metrics"].get("face"), dict):
        old["metrics"]["face"].pop("references", None)
    return old


@pytest.fixture(scope="module")
def analysed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, AnalysisResult]:
    tmp = tmp_path_factory.mktemp("yardsticks")
    twin = slimmed_twin(tmp)
    control = tmp / "s2-2-control.jpg"
    Image.open(S2 / "2.jpg").convert("RGB").save(control, quality=92)
    return {
        "three portraits": analyze_pair(S2 / "2.jpg", twin, references=[S2 / f"{n}.jpg" for n in (3, 6, 7)]).result,
        "one portrait": analyze_pair(S2 / "2.jpg", twin, references=[S2 / "3.jpg"]).result,
        "no portraits": analyze_pair(S2 / "2.jpg", twin).result,
        "control": analyze_pair(S2 / "2.jpg", control, control=True).result,
    }


def test_the_analysis_records_the_yardstick_its_words_describe(analysed: dict[str, AnalysisResult]):
    kinds: dict[str, set[tuple[str, int | None]]] = {}
    for name, result in analysed.items():
        data = result.to_json()
        assert data["schema"] == 4 and "against" in data["analysis"]
        judged = [r.path for r in rows(result) if r.against is not None]
        assert judged, name
        for path in judged:
            assert _recorded(result, path) == _words_rule(data, path), (name, path)
            old = AnalysisResult.from_json(_as_schema_3(data))
            assert _recorded(old, path) == _recorded(result, path), (name, path)
        kinds[name] = {_recorded(result, p) for p in judged}
    assert ("her_portraits", 4) in kinds["three portraits"]
    assert ("other_people", -1) in kinds["one portrait"]  # "fewer than 2 portraits"
    assert analysed["one portrait"].metrics.face.references == 1  # type: ignore[union-attr]
    assert ("other_people", None) in kinds["no portraits"]
    assert analysed["no portraits"].metrics.face.references is None  # type: ignore[union-attr]
    assert kinds["control"] == {("control", None)}

