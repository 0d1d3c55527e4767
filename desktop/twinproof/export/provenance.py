"""Content Credentials (C2PA) of a twin file, read offline with ``c2pa-python``.

A generator that signs its output says who made the image, with what actions, and states the
IPTC digital source type itself; the sheet shows that next to the reviewer's evidence. No
manifest is the common case and is reported as such ("absent"), not as an error; a manifest
that fails validation is shown with its state and first issues. ``c2pa-python`` is a
dependency in pyproject.toml (~53 MB with its native library); should it still fail to
import (a frozen build made without it), the status is "unavailable", the sheet says
"not checked" and everything else works.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def available() -> bool:
    try:
        import c2pa  # noqa: F401
    except ImportError:
        return False
    return True


def _summary(store: dict[str, Any], state: str | None) -> dict[str, Any]:
    label = store.get("active_manifest")
    manifest = (store.get("manifests") or {}).get(label) or {}
    gens = manifest.get("claim_generator_info") or []
    generator = ", ".join(
        f"{g.get('name', '?')} {g.get('version', '')}".strip() for g in gens if isinstance(g, dict)
    ) or str(manifest.get("claim_generator") or "")
    actions: list[str] = []
    sources: list[str] = []
    agents: list[str] = []
    for assertion in manifest.get("assertions") or []:
        if not str(assertion.get("label", "")).startswith("c2pa.actions"):
            continue
        for act in (assertion.get("data") or {}).get("actions") or []:
            actions.append(str(act.get("action", "?")).removeprefix("c2pa."))
            if act.get("digitalSourceType"):
                sources.append(str(act["digitalSourceType"]).rsplit("/", 1)[-1])
            agent = act.get("softwareAgent")
            if isinstance(agent, dict):
                agents.append(f"{agent.get('name', '')} {agent.get('version', '')}".strip())
            elif agent:
                agents.append(str(agent))
    sig = manifest.get("signature_info") or {}
    issues = [f"{s.get('code')}: {s.get('explanation', '')}".strip()
              for s in store.get("validation_status") or [] if isinstance(s, dict)]
    return {
        "status": "present", "validation_state": state, "generator": generator,
        "software_agents": ", ".join(dict.fromkeys(agents)),
        "actions": ", ".join(dict.fromkeys(actions)),
        "digital_source_type": ", ".join(dict.fromkeys(sources)),
        "signer": " / ".join(str(v) for v in (sig.get("common_name"), sig.get("issuer")) if v),
        "title": manifest.get("title"), "issues": issues,
    }


def read_credentials(path: str | Path) -> dict[str, Any]:
    """``{"status": "present"|"absent"|"unavailable"|"error", ...}`` for one file."""
    try:
        import c2pa
    except ImportError:
        return {"status": "unavailable",
                "detail": "Content Credentials not checked (c2pa-python is not installed)."}
    try:
        reader = c2pa.Reader.try_create(str(path))
    except Exception as exc:  # noqa: BLE001 - the native reader raises its own error kinds
        return {"status": "error", "detail": f"Content Credentials could not be read: {exc}"}
    if reader is None:
        return {"status": "absent"}
    try:
        with reader:
            store = json.loads(reader.json())
            state = reader.get_validation_state()
    except Exception as exc:  # noqa: BLE001
        return {"status": "error", "detail": f"Content Credentials could not be read: {exc}"}
    return _summary(store, state)
