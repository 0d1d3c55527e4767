"""Content Credentials (C2PA) of a twin file, read strictly offline with ``c2pa-python``.

A generator that signs its output says who made the image, with which software, which actions,
and states the IPTC digital source type itself; the sheet shows that next to the reviewer's
evidence, and a *valid* manifest's declared source type is what TwinProof writes into the
twin's XMP and JSON (a twin signed as ``compositeWithTrainedAlgorithmicMedia`` is not fully
generated, and saying otherwise would contradict its own credentials).

Offline: c2pa-python fetches a *remote* manifest (the file only holds a URL) over HTTPS unless
its reader context says not to, and TwinProof promises never to touch the network. Every read
here goes through one context with ``verify.remote_manifest_fetch`` and ``verify.ocsp_fetch``
off; a remote manifest is reported as "remote manifest, not fetched (offline)" with its URL.

Honest wording: c2pa-python calls a manifest "Valid" when its signature and hashes check out
even if no trust list knows the signer (``signingCredential.untrusted``), which a reader takes
for "verified". The sheet says "signature valid; signer not on a trust list" instead.

No manifest is the common case ("absent"), and it is told without c2pa-python: a file none of
whose bytes reads ``jumb``, ``c2pa`` or ``provenance`` holds no manifest the reader could find
(:func:`may_hold_credentials`), and the library's import and read (~40 ms at the first file, ~20 ms
at each) are skipped. Should c2pa-python fail to import (a frozen build made without it), a file
that may hold one reads "unavailable", the sheet says "not checked" and everything else works.
"""

from __future__ import annotations

import json
import mmap
import os
import re
import stat
from functools import cache
from pathlib import Path
from typing import Any

DST = "http://cv.iptc.org/newscodes/digitalsourcetype/"
#: What TwinProof states for a twin when no valid manifest declares otherwise.
DEFAULT_TWIN_SOURCE = DST + "trainedAlgorithmicMedia"
VALID_STATES = ("Valid", "Trusted")
#: The reader settings: nothing is fetched (remote manifests, certificate revocation).
OFFLINE_SETTINGS = {"verify": {"remote_manifest_fetch": False, "ocsp_fetch": False}}
REMOTE_TEXT = "remote manifest, not fetched (offline)"
#: Validation codes in words a brand's reader understands.
CODE_WORDS = {
    "assertion.dataHash.mismatch": "the image changed after it was signed",
    "assertion.bmffHash.mismatch": "the media changed after it was signed",
    "assertion.boxesHash.mismatch": "the image changed after it was signed",
    "claimSignature.mismatch": "the signature does not match the manifest",
    "signingCredential.expired": "the signing certificate had expired",
    "signingCredential.revoked": "the signing certificate was revoked",
    "signingCredential.invalid": "the signing certificate is not valid",
}
UNTRUSTED = "signingCredential.untrusted"


#: Bytes one of which every file c2pa-python can read credentials from holds: an embedded
#: manifest store is a JUMBF superbox (box type ``jumb``) whose description is labelled ``c2pa``
#: (``C2PA`` in a WebP or RIFF chunk's name), in every container the library reads; a remote
#: manifest is an XMP ``dcterms:provenance`` URL. (The reader is given the file as a stream, so
#: it never looks for a ``.c2pa`` sidecar either.)
CREDENTIAL_MARKS = (b"jumb", b"c2pa", b"C2PA", b"provenance")


def may_hold_credentials(path: str | Path) -> bool:
    """False only when the file's bytes hold none of :data:`CREDENTIAL_MARKS`: then it has no
    Content Credentials, embedded or remote (a few milliseconds for a 24 MP JPEG). An unreadable
    or empty file is left to the reader, which says what is wrong with it."""
    try:
        with open(path, "rb") as raw, mmap.mmap(raw.fileno(), 0, access=mmap.ACCESS_READ) as data:
            return any(data.find(mark) >= 0 for mark in CREDENTIAL_MARKS)
    except (OSError, ValueError):  # ValueError: an empty file cannot be mapped
        return True


def available() -> bool:
    try:
        import c2pa  # noqa: F401
    except ImportError:
        return False
    return True


@cache
def _offline_context() -> Any:
    """One reader context for the process, with every network fetch switched off."""
    import c2pa

    return c2pa.Context.from_dict(OFFLINE_SETTINGS)


def _agent(agent: Any) -> str:
    if isinstance(agent, dict):
        return f"{agent.get('name', '')} {agent.get('version', '')}".strip()
    return str(agent or "").strip()


def _actions(manifest: dict[str, Any]) -> tuple[list[str], list[str], list[str], str]:
    """(action names, declared source types, software agents, the created action's type)."""
    actions: list[str] = []
    sources: list[str] = []
    agents: list[str] = []
    created = ""
    for assertion in manifest.get("assertions") or []:
        if not str(assertion.get("label", "")).startswith("c2pa.actions"):
            continue
        data = assertion.get("data") or {}
        listed = [_agent(a) for a in data.get("softwareAgents") or []]  # C2PA 2.x: by index
        for act in data.get("actions") or []:
            name = str(act.get("action", "?"))
            actions.append(name.removeprefix("c2pa."))
            source = str(act.get("digitalSourceType") or "")
            if source:
                sources.append(source)
                if name == "c2pa.created" and not created:
                    created = source
            index = act.get("softwareAgentIndex")
            if isinstance(index, int) and 0 <= index < len(listed):
                agents.append(listed[index])
            elif act.get("softwareAgent"):
                agents.append(_agent(act["softwareAgent"]))
    return actions, sources, [a for a in agents if a], created


def validation_words(state: str | None, codes: list[str]) -> str:
    """The validation as a sentence that cannot be mistaken for "verified by someone"."""
    failures = [c for c in codes if c != UNTRUSTED]
    if state in VALID_STATES:
        if state == "Trusted":
            return "signature valid; signer on a trust list"
        return ("signature valid; signer not on a trust list" if UNTRUSTED in codes
                else "signature valid")
    if failures:
        words = "; ".join(dict.fromkeys(CODE_WORDS.get(c, c) for c in failures))
        return f"invalid: {words}"
    return f"not valid ({state or 'state unknown'})"


def _summary(store: dict[str, Any], state: str | None) -> dict[str, Any]:
    label = store.get("active_manifest")
    manifest = (store.get("manifests") or {}).get(label) or {}
    gens = manifest.get("claim_generator_info") or []
    generator = ", ".join(
        f"{g.get('name', '?')} {g.get('version', '')}".strip() for g in gens if isinstance(g, dict)
    ) or str(manifest.get("claim_generator") or "")
    actions, sources, agents, created = _actions(manifest)
    sig = manifest.get("signature_info") or {}
    statuses = [s for s in store.get("validation_status") or [] if isinstance(s, dict)]
    codes = [str(s.get("code")) for s in statuses]
    issues = [f"{s.get('code')}: {s.get('explanation', '')}".strip() for s in statuses]
    declared = created or (sources[0] if sources else "")
    return {
        "status": "present", "validation_state": state,
        "validation": validation_words(state, codes),
        "generator": generator,
        "software_agents": ", ".join(dict.fromkeys(agents)),
        "actions": ", ".join(dict.fromkeys(actions)),
        "digital_source_type": ", ".join(dict.fromkeys(s.rsplit("/", 1)[-1] for s in sources)),
        "declared_source_type": declared,
        "signer": " / ".join(str(v) for v in (sig.get("common_name"), sig.get("issuer")) if v),
        "title": manifest.get("title"), "issues": issues,
    }


def _remote(message: str) -> dict[str, Any]:
    found = re.search(r"https?://\S+", message)
    return {"status": "remote", "url": found.group(0).rstrip(".,;)") if found else None,
            "detail": f"Content Credentials: {REMOTE_TEXT}"}


def read_credentials(path: str | Path) -> dict[str, Any]:
    """``{"status": "present"|"absent"|"remote"|"unavailable"|"error", ...}`` for one file;
    never touches the network."""
    try:
        regular = stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        regular = True  # missing or unreadable: the reader says so in its words
    if not regular:  # a named pipe: opening it would wait for a writer forever
        return {"status": "error", "detail": "Content Credentials could not be read: not a regular file"}
    if not may_hold_credentials(path):
        return {"status": "absent"}
    try:
        import c2pa
    except ImportError:
        return {"status": "unavailable",
                "detail": "Content Credentials not checked (c2pa-python is not installed)."}
    try:
        reader = c2pa.Reader.try_create(str(path), None, None, _offline_context())
    except c2pa.C2paError.RemoteManifest as exc:
        return _remote(str(exc))
    except Exception as exc:  # noqa: BLE001 - the native reader raises its own error kinds
        if "remote" in str(exc).lower():
            return _remote(str(exc))
        return {"status": "error",
                "detail": f"Content Credentials could not be read: {' '.join(str(exc).split())}"}
    if reader is None:
        return {"status": "absent"}
    try:
        with reader:
            store = json.loads(reader.json())
            state = reader.get_validation_state()
    except Exception as exc:  # noqa: BLE001
        return {"status": "error",
                "detail": f"Content Credentials could not be read: {' '.join(str(exc).split())}"}
    return _summary(store, state)


def read_provenance(path: str | Path) -> dict[str, Any]:
    """What the twin file says about where it came from, as an analysis records it: its Content
    Credentials (:func:`read_credentials`) and, under ``xmp``, its own XMP
    (``core.xmp_origin``: embedded, else a sidecar; a few milliseconds, never raises)."""
    from twinproof.core.xmp_origin import read_xmp_origin

    return {**read_credentials(path), "xmp": read_xmp_origin(path).to_json()}


def twin_disclosure(name: str | None) -> str:
    """The AI disclosure of one twin, in the words every export uses (the sheet's footer, the CSV)."""
    return f"AI-generated digital twin of {name or 'the model'}"


def twin_source_type(prov: dict[str, Any] | None) -> tuple[str, str]:
    """The twin's IPTC digital source type URI and where it comes from, in words.

    A valid manifest's declaration wins (the generator signed it); an invalid manifest's is
    not believed; otherwise TwinProof's default for a digital twin."""
    prov = prov or {}
    declared = str(prov.get("declared_source_type") or "")
    if prov.get("status") == "present" and declared.startswith(DST):
        if prov.get("validation_state") in VALID_STATES:
            return declared, f"declared by the twin's C2PA manifest ({prov.get('validation')})"
        return DEFAULT_TWIN_SOURCE, (f"TwinProof's default; the manifest's "
                                     f"{declared.rsplit('/', 1)[-1]} was not used "
                                     f"({prov.get('validation')})")
    return DEFAULT_TWIN_SOURCE, "TwinProof's default for a digital twin"


#: The C2PA state in one word (XMP, JSON, ``analyze --json``): what a pipeline filters on.
STATES = {"present": "valid", "remote": "remote not fetched", "absent": "none",
          "unavailable": "not checked", "error": "unreadable"}


def credential_state(prov: dict[str, Any] | None) -> dict[str, str]:
    """A file's Content Credentials in a few flat fields, the same in every export: ``state``
    (valid / invalid / remote not fetched / none / not checked / unreadable), ``validation``
    in words, the source type the manifest declares, the one TwinProof exports and why, and
    the signer, generator or remote URL when there are."""
    prov = prov or {"status": "unavailable"}
    status = str(prov.get("status") or "unavailable")
    state = STATES.get(status, status)
    if status == "present" and prov.get("validation_state") not in VALID_STATES:
        state = "invalid"
    uri, why = twin_source_type(prov)
    out = {"state": state,
           "validation": str(prov.get("validation") or (REMOTE_TEXT if status == "remote" else
                                                         prov.get("detail") or "")),
           "declared_source_type": str(prov.get("declared_source_type") or "").rsplit("/", 1)[-1],
           "digital_source_type": uri.rsplit("/", 1)[-1], "digital_source_type_basis": why,
           "signer": str(prov.get("signer") or ""), "generator": str(prov.get("generator") or ""),
           "url": str(prov.get("url") or "")}
    return {k: v for k, v in out.items() if v}


def credentials_of(item: Any, enabled: bool = True) -> dict[str, Any] | None:
    """The twin's credentials and XMP for one export item, read once and kept in ``item.extra``."""
    if "provenance" not in item.extra:
        item.extra["provenance"] = read_provenance(item.pair.twin_path) if enabled else None
    found = item.extra["provenance"]
    return found if isinstance(found, dict) else None


def credential_lines(prov: dict[str, Any] | None) -> list[tuple[str, str]]:
    """What the sheet prints about a twin's credentials: (text, tone) with tone one of
    "pass", "review", "ink", "muted"."""
    prov = prov or {"status": "not checked"}
    status = prov.get("status")
    uri, why = twin_source_type(prov)
    disclosed = [(f"Exports label the twin {uri.rsplit('/', 1)[-1]} (IPTC digital source type): "
                  f"{why}.", "muted"), *xmp_lines(prov.get("xmp"))]
    if status == "absent":
        return [("No Content Credentials in the twin file (a normal case).", "muted"), *disclosed]
    if status == "remote":
        where = f" ({prov['url']})" if prov.get("url") else ""
        return [(f"Remote manifest, not fetched (offline){where}.", "review"), *disclosed]
    if status != "present":
        return [(str(prov.get("detail") or "Content Credentials not checked."), "muted"), *disclosed]
    valid = prov.get("validation_state") in VALID_STATES
    lines = [(f"Validation: {prov.get('validation')}", "pass" if valid else "review")]
    for key, label in (("generator", "Generator"), ("software_agents", "Software agent"),
                       ("signer", "Signed by"), ("digital_source_type", "Digital source type declared"),
                       ("actions", "Actions")):
        if prov.get(key):
            lines.append((f"{label}: {prov[key]}", "ink"))
    # The untrusted signer is already said in the validation sentence.
    issues = [i for i in prov.get("issues", []) if not str(i).startswith(UNTRUSTED)]
    lines += [(f"! {issue}", "review") for issue in issues[:3]]
    return [*lines, *disclosed]


def xmp_lines(xmp: Any) -> list[tuple[str, str]]:
    """What the twin file's own XMP says of its origin, on the sheet (nothing when it says
    nothing): unsigned, so it names a generator but never sets the exported disclosure."""
    if not isinstance(xmp, dict):
        return []
    found = xmp.get("found")
    if found in ("refused", "unreadable"):
        return [(f"The twin file's XMP was not read: {xmp.get('detail') or found}.", "review")]
    if found not in ("embedded", "sidecar"):
        return []
    from twinproof.core.xmp_origin import xmp_generator

    where = "its XMP sidecar" if found == "sidecar" else "the twin file's XMP"
    said = []
    generator = xmp_generator(xmp)
    if generator:
        said.append(f"names the generator {generator}")
    elif xmp.get("creator_tool"):
        said.append(f"names the tool {xmp['creator_tool']} (not a generator by itself)")
    declared = str(xmp.get("digital_source_type") or "").rsplit("/", 1)[-1]
    capture = declared in CAPTURES
    if declared:
        said.append(f"declares {declared}" + (" (a camera or scan), which a generated twin is not" if capture else ""))
    return [(f"{where[0].upper()}{where[1:]} (unsigned) {' and '.join(said)}.",
             "review" if capture else "ink")] if said else []


#: Digital source types that claim a capture, not a generation: on a twin, a label to look at.
CAPTURES = ("digitalCapture", "negativeFilm", "positiveFilm", "print")
