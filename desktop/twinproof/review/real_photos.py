"""In the shoot audit, a real photograph shared by several twins is one photograph.

A generator is often asked for several twins of one real frame (looks, crops, a control frame of
that very frame), so a shoot of 96 pairs may hold 37 real photographs. Two things differ:

- **A drift is a property of each twin**: every twin is its own draw from the generator, so the
  sign test votes once per pair ("75 of 96 narrower" are 96 twins) — that stays as it is.
- **A talent's skin tone is a property of her photographs**: read per pair, the photograph with
  five twins weighed five times in her median, and the audit said "the talent's real photos in this
  shoot (7)" of a talent photographed twice. An art director reads that as seven photographs.
  Here each real photograph counts once (by its content's SHA-256 as analysed, so two copies of
  one file in two folders are one photograph): her skin L* is the median over her photographs (each
  photograph's own reading, the median of its analyses), and the words count photographs, saying
  how many twins they are the real of when that differs.

The core's groups take a talent's skin reading as given (``core.drift.inputs``: the mapping it
takes for reference portraits overrides the per-pair median); the reading from the shoot's photos
is built here and handed to it the same way, so no pair is read twice and the core is unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from statistics import median

from twinproof.core.drift import PairFacts
from twinproof.core.drift.inputs import ReferenceSkin, skin_tone_origins


def photographs(facts: list[PairFacts], reals: Mapping[int, str]) -> int:
    """How many distinct real photographs the analysed pairs were measured on."""
    return len({reals[f.pair_id] for f in facts if f.pair_id in reals})


def shoot_skin(facts: list[PairFacts], reals: Mapping[int, str]) -> dict[str, tuple[float, int, int]]:
    """Talent -> (median skin L* over her distinct real photographs, how many photographs, how many
    pairs), from the shoot's analyses (a pair without a real hash counts as a photograph of its own)."""
    readings: dict[str, dict[str, list[float]]] = {}
    pairs: dict[str, int] = {}
    for f in facts:
        if not f.talent or f.skin_lightness is None:
            continue
        photo = reals.get(f.pair_id, f"pair:{f.pair_id}")
        readings.setdefault(f.talent, {}).setdefault(photo, []).append(f.skin_lightness)
        pairs[f.talent] = pairs.get(f.talent, 0) + 1
    return {t: (median(median(v) for v in photos.values()), len(photos), pairs[t])
            for t, photos in readings.items()}


def shoot_words(photos: int, pairs: int) -> str:
    """Where a talent's skin tone came from, counting photographs (the words the core's summary
    reads as "from the shoot's real photos": they never say "reference portraits")."""
    count = f"{photos} photograph{'s' if photos != 1 else ''}"
    shared = f", the real of {pairs} twins" if pairs != photos else ""
    return f"the talent's real photos in this shoot ({count}{shared})"


def skin_readings(facts: list[PairFacts], reals: Mapping[int, str],
                  references: ReferenceSkin) -> tuple[ReferenceSkin, dict[str, str]]:
    """Each talent's skin reading for the groups — her reference portraits' where she has some with
    a reading, else her distinct real photographs' — and where it came from, in words."""
    shoot = shoot_skin(facts, reals)
    talents = {f.talent for f in facts if f.talent}
    portraits = {t: v for t, v in references.items() if t in talents}
    readings: ReferenceSkin = {t: (value, photos) for t, (value, photos, _n) in shoot.items() if t not in portraits}
    origins = skin_tone_origins(facts, portraits)  # the core's words for her reference portraits
    origins.update({t: shoot_words(photos, n) for t, (_v, photos, n) in shoot.items() if t not in portraits})
    return {**readings, **portraits}, dict(sorted(origins.items()))
