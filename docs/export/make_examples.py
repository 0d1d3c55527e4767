"""Regenerate the example pages in docs/export/ from the bundled sample shoot.

    .venv/bin/python docs/export/make_examples.py [KEEP_DIR]   # KEEP_DIR: also keep the whole sheets

The sample shoot (resources/sample: public-domain photographs of Eileen Collins and Grace
Hopper, and *simulated* twins made from them by documented manipulations) is imported into a
scratch record, analysed by the real core, and reviewed as an art director would: marks on
what is wrong, linked to their flags, comments, decisions with reasons, a talent with a consent
on file. The sheet is exported on A4 portrait and landscape and chosen pages rendered at
110 dpi with poppler's pdftoppm. The talents are labelled as sample records: nobody consented
to anything; the pages show what a real review produces.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from twinproof import review  # noqa: E402
from twinproof.core.analysis import analyze_pair  # noqa: E402
from twinproof.export import ExportRequest, SheetOptions, run_export  # noqa: E402
from twinproof.paths import resource_path  # noqa: E402

DPI = 110


def render(pdf: Path, page: int, name: str) -> None:
    stem = HERE / name
    subprocess.run(["pdftoppm", "-r", str(DPI), "-png", "-singlefile", "-f", str(page), "-l",
                    str(page), str(pdf), str(stem)], check=True)
    print(f"{stem}.png: {stem.with_suffix('.png').stat().st_size // 1024} KB")


def review_sample(db: Path) -> dict[str, int]:
    """The sample shoot, analysed and reviewed."""
    store = review.open_store(db, reviewer="Marta Ruiz")
    try:
        result = review.import_shoot(store, resource_path("sample"), name="SS27 studio (sample)",
                                     campaign="SS27")
        ids = {p.name: p.id for p in result.added}
        for pid in ids.values():
            pair = review.get_pair(store, pid)
            review.store_analysis(store, pid, analyze_pair(pair.real_path, pair.twin_path).to_dict())
        today = date.today()
        for talent, looks in (("Eileen Collins (sample)", ("look01", "look03", "look05")),
                              ("Grace Hopper (sample)", ("look02", "look04", "look06"))):
            review.add_talent(store, talent, agency="sample record, no real consent")
            review.add_consent(store, talent, contract_ref="SAMPLE-0001",
                               starts_on=today - timedelta(days=30),
                               expires_on=today + timedelta(days=330), campaigns=["SS27"],
                               no_release_reason="signed on paper, kept by the agency")
            review.link_talent(store, [ids[n] for n in looks], talent)
        size = (512, 512)
        eyes = review.add_annotation(
            store, ids["look03"], "ellipse", {"x": 178, "y": 78, "w": 100, "h": 48}, image_size=size,
            text="Eyes enlarged: restore the eye shape of the shoot", flag=("face_shape", "eyes"))
        review.add_annotation(
            store, ids["look03"], "rectangle", {"x": 195, "y": 150, "w": 75, "h": 40}, image_size=size,
            colour="#0a84ff", text="Lips fuller than hers", flag=("face_shape", "lips"))
        review.add_annotation(
            store, ids["look03"], "pin", {"x": 300, "y": 140}, image_size=size, colour="#ffcc00",
            text="Smile lines are real: keep them")
        review.add_comment(store, ids["look03"], "Agency: regenerate from the approved capture; "
                           "no beauty pass on the face.", eyes.id)
        review.add_annotation(
            store, ids["look05"], "rectangle", {"x": 40, "y": 300, "w": 200, "h": 200},
            image_size=size, colour="#ff9f0a", text="Suit is the product colour: orange, not yellow",
            flag=("garment_colour", "garment"))
        review.decide(store, ids["look01"], "approved", comment="Faithful twin; reframing only.")
        review.decide(store, ids["look03"], "changes_requested", reasons=["face_altered"],
                      comment="Eyes and lips were idealised.")
        review.decide(store, ids["look05"], "rejected", reasons=["garment_colour_wrong"],
                      comment="Would misrepresent the product.")
        review.decide(store, ids["look04"], "rejected", reasons=["skin_tone_shifted", "skin_retouched"])
        return ids
    finally:
        store.close()


def main(keep: Path | None = None) -> None:
    """``keep``: also copy the whole sheets there, to look at every page."""
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "sample.shoot"
        review_sample(db)
        store = review.open_store(db, reviewer="Marta Ruiz")
        try:
            for landscape in (False, True):
                pdf = Path(tmp) / f"sheet-{landscape}.pdf"
                run_export(store, ExportRequest(pdf=pdf, sheet=SheetOptions(landscape=landscape)))
                suffix = "landscape" if landscape else "portrait"
                render(pdf, 1, f"cover-a4-{suffix}")
                pages = [(n, subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"],
                                            capture_output=True, text=True).stdout)
                         for n in range(2, 16)]
                look03 = next(n for n, text in pages if "look03" in text[:200])
                render(pdf, look03, f"pair-a4-{suffix}-look03")
                if keep is not None:
                    keep.mkdir(parents=True, exist_ok=True)
                    (keep / pdf.name).write_bytes(pdf.read_bytes())
        finally:
            store.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
