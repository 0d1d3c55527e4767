"""A review record with one pair in each state an export must tell apart, on real images and
real analyses (see ``shoot.py``), with real Content Credentials on the twins:

- look01 approved, its twin signed with a valid C2PA manifest (a throwaway test chain);
- look02 rejected, its twin signed then changed (an invalid manifest);
- look03 approved, then its talent's consent revoked: suspended; its twin's manifest remote;
- look04 never analysed, no decision, no manifest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from PIL import Image
from skimage import data

from tests.export.c2pa_sign import sign_in_place, sign_remote, tamper
from tests.export.shoot import _analysis, twin_of, write_images
from twinproof import review


@dataclass
class States:
    db: Path
    folder: Path
    ids: dict[str, int]


def build_states(folder: Path) -> States:
    real, twin = write_images(folder)
    astro = data.astronaut()
    Image.fromarray(astro[::-1].copy()).save(real / "look04.jpg", quality=92)
    Image.fromarray(twin_of(astro[::-1].copy(), 0.5, (2, 2), 1.0, (1.0, 1.0, 1.0), (512, 512))).save(
        twin / "look04.jpg", quality=90)
    sign_in_place(twin / "look01.jpg")
    sign_in_place(twin / "look02.jpg")
    tamper(twin / "look02.jpg")
    sign_remote(twin / "look03.jpg")
    db = folder / "states.twinproof"
    store = review.open_store(db, reviewer="alice")
    try:
        ids = {p.name: p.id for p in review.import_shoot(store, real, twin, name="SS27 studio",
                                                         campaign="SS27").added}
        today = date.today()
        review.add_talent(store, "Ana Silva", agency="Elite")
        review.add_talent(store, "Bo Lin")
        review.add_consent(store, "Ana Silva", contract_ref="C-2026-01", starts_on=today - timedelta(days=30),
                           expires_on=today + timedelta(days=300), campaigns=["SS27"],
                           no_release_reason="paper original")
        bo = review.add_consent(store, "Bo Lin", contract_ref="B-2026-07", starts_on=today - timedelta(days=30),
                                expires_on=today + timedelta(days=300), no_release_reason="paper original")
        review.link_talent(store, [ids["look01"], ids["look02"], ids["look04"]], "Ana Silva")
        review.link_talent(store, [ids["look03"]], "Bo Lin")
        for name in ("look01", "look02", "look03"):  # analysed once linked (else stale for the talent)
            review.store_analysis(store, ids[name], _analysis(review.get_pair(store, ids[name])))
        for name in ("look01", "look03"):
            verdict = review.get_pair(store, ids[name]).verdict
            review.decide(store, ids[name], "approved", comment="faithful twin; keep the earrings",
                          override="the shoot's own light explains it" if verdict == "fail" else None)
        review.decide(store, ids["look02"], "rejected", reasons=["skin_tone_shifted", "other"],
                      reason_text="garment hem redrawn", comment="see the jacket")
        review.revoke_consent(store, bo.id, "talent withdrew on 2026-12-01")
    finally:
        store.close()
    return States(db, folder, ids)
