"""The fidelity policy: every threshold a twin is judged against, in a versioned TOML file.

The defaults ship in ``resources/policy/default.toml`` with a comment on each value's meaning;
a brand's file overrides any subset. Unknown sections or keys are refused (a typo must not
silently leave a default in force), and every value is type-checked against the default's.
"""

from __future__ import annotations

import copy
import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from twinproof.core.errors import PolicyError
from twinproof.paths import resource_path

DEFAULT_POLICY_FILE = ("policy", "default.toml")

#: Settings an earlier policy had, with what replaced them: a brand's file that still sets one is
#: refused with these words (what to do), not with "unknown setting" (which reads as a typo).
RETIRED = {
    ("identity", "warn_distance"): "retired in policy 2026.12-2: identity now answers 'same person' up to "
                                   "[identity] threshold, 'not the same person' above different_threshold "
                                   "and 'cannot tell' (a warning) between them; remove the line, or set those",
}


@dataclass(frozen=True)
class Policy:
    """A loaded, validated policy. ``sections[section][key]`` holds each value."""

    name: str
    version: str
    sections: dict[str, dict[str, Any]] = field(default_factory=dict)
    source: str = "default"

    def get(self, section: str, key: str) -> Any:
        try:
            return self.sections[section][key]
        except KeyError as exc:
            raise PolicyError(f"policy has no setting [{section}] {key}") from exc

    def number(self, section: str, key: str) -> float:
        return float(self.get(section, key))

    def limit(self, section: str, key: str) -> float | None:
        """A numeric threshold, or None when this policy has no such setting."""
        value = self.sections.get(section, {}).get(key)
        return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "version": self.version, "source": self.source,
                "thresholds": copy.deepcopy(self.sections)}


def _read_toml(path: Path) -> dict[str, Any]:
    if path.exists() and not path.is_file() and not path.is_dir():
        # A FIFO would block the reader forever (a device never end): refuse before opening.
        raise PolicyError(f"{path}: not a regular file (a pipe, device or socket)")
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError as exc:
        raise PolicyError(f"{path}: policy file not found") from exc
    except PermissionError as exc:
        raise PolicyError(f"{path}: policy file cannot be read (permission denied)") from exc
    except IsADirectoryError as exc:
        raise PolicyError(f"{path}: is a folder, not a policy file") from exc
    except UnicodeDecodeError as exc:
        raise PolicyError(f"{path}: policy file is not UTF-8 text") from exc
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"{path}: not valid TOML ({exc})") from exc
    except OSError as exc:
        raise PolicyError(f"{path}: cannot be read ({exc.strerror or exc})") from exc


def _split(data: dict[str, Any], where: str) -> tuple[str | None, str | None, dict[str, Any]]:
    meta = data.get("policy", {})
    if not isinstance(meta, dict):
        raise PolicyError(f"{where}: [policy] must be a table with name and version")
    name = meta.get("name")
    version = meta.get("version")
    for label, value in (("name", name), ("version", version)):
        if value is not None and not isinstance(value, str):
            raise PolicyError(f"{where}: [policy] {label} must be text")
    sections = {k: v for k, v in data.items() if k != "policy"}
    return name, version, sections


def _check_value(where: str, section: str, key: str, default: Any, value: Any) -> Any:
    if isinstance(default, bool):
        ok = isinstance(value, bool)
    elif isinstance(default, int | float):
        # NaN, inf and integers beyond a float's range would pass a type check and then
        # crash the analysis (int(inf) in the working size); a whole-number setting
        # (working_long_side) takes no fraction.
        ok = isinstance(value, int | float) and not isinstance(value, bool) and _finite(value)
        if ok and isinstance(default, int) and isinstance(value, float):
            ok = value.is_integer()
    elif isinstance(default, list):
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
    else:
        ok = isinstance(value, type(default))
    if not ok:
        kind = type(default).__name__
        raise PolicyError(f"{where}: [{section}] {key} must be a {kind}, got {value!r}")
    if isinstance(default, int | float) and not isinstance(default, bool) and value < 0:
        raise PolicyError(f"{where}: [{section}] {key} must not be negative, got {value!r}")
    return value


def _finite(value: float) -> bool:
    try:
        return math.isfinite(float(value))
    except OverflowError:
        return False


def stored_policy(result: dict[str, Any]) -> Policy | None:
    """The policy an analysis result (``PairAnalysis.to_dict()``) was judged by, from the
    thresholds it carries; None for a result too old to carry them."""
    stored = result.get("policy") if isinstance(result, dict) else None
    if not isinstance(stored, dict) or not isinstance(stored.get("thresholds"), dict):
        return None
    return Policy(str(stored.get("name", "")), str(stored.get("version", "")), stored["thresholds"],
                  str(stored.get("source", "stored")))


def load_default_policy() -> Policy:
    path = resource_path(*DEFAULT_POLICY_FILE)
    name, version, sections = _split(_read_toml(path), str(path))
    if not name or not version:
        raise PolicyError(f"{path}: the default policy must have [policy] name and version")
    return Policy(name, version, sections, "default")


def load_policy(path: str | Path | None = None) -> Policy:
    """The default policy, overridden by ``path`` if given."""
    base = load_default_policy()
    if path is None:
        return base
    path = Path(path)
    where = str(path)
    name, version, overrides = _split(_read_toml(path), where)
    merged = copy.deepcopy(base.sections)
    for section, values in overrides.items():
        if section not in merged:
            known = ", ".join(sorted(merged))
            raise PolicyError(f"{where}: unknown section [{section}] (known: {known})")
        if not isinstance(values, dict):
            raise PolicyError(f"{where}: [{section}] must be a table")
        for key, value in values.items():
            if (section, key) in RETIRED:
                raise PolicyError(f"{where}: [{section}] {key} was {RETIRED[section, key]}")
            if key not in merged[section]:
                known = ", ".join(sorted(merged[section]))
                raise PolicyError(f"{where}: unknown setting [{section}] {key} (known: {known})")
            merged[section][key] = _check_value(where, section, key, merged[section][key], value)
    return Policy(
        name or f"{base.name} (customised)",
        version or f"{base.version}+custom",
        merged,
        str(path),
    )
