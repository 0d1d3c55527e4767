"""Content Credentials of TwinProof's own exports: the comparison sheet (PDF) and the annotated
copies carry a C2PA manifest of their own, signed offline with the studio's certificate.

Why: a copy's bytes differ from the delivered twin's, so the generator's manifest no longer
matches them, and a sheet is a new document. Signed, each says - in a form any C2PA reader
checks - that it holds AI-generated imagery (IPTC digital source type
``trainedAlgorithmicMedia``, or what the twin's valid manifest declares), what the review
decided, by whom and when, and where it came from: the delivered twin is an *ingredient*,
its own manifest (valid, invalid or remote) kept inside as it was.

What each manifest holds:

- ``c2pa.actions``: a copy: ``c2pa.opened`` the twin (its ingredient, with its digital source
  type) then ``c2pa.edited.metadata`` (the review's XMP written in); a sheet: ``c2pa.created``
  as ``compositeWithTrainedAlgorithmicMedia`` (real photographs beside generated twins) and a
  ``c2pa.placed`` per twin;
- ``com.twinproof.review``: per pair, the decision, whether the twin is cleared for use and
  why not, the reviewer (and database login), the time, reasons, reason text, comment,
  verdict, and the files' SHA-256;
- the ingredients: the delivered twin (a copy's ``parentOf``; a sheet's ``componentOf``).

Offline: no time-stamp authority is asked (the signing time is the signer's clock, stated as
such) and ingredients' remote manifests are not fetched (``provenance.OFFLINE_SETTINGS``).
The studio's one-time setup is in docs/signing.md.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from twinproof import __version__
from twinproof.atomic import atomic_temp
from twinproof.export.errors import ExportError
from twinproof.export.provenance import DST, OFFLINE_SETTINGS, credentials_of, twin_source_type
from twinproof.export.records import PairExport

#: The environment a studio sets once (docs/signing.md) instead of passing paths each time.
CERT_ENV, KEY_ENV = "TWINPROOF_SIGN_CERT", "TWINPROOF_SIGN_KEY"
REVIEW_LABEL = "com.twinproof.review"
MIME = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".tif": "image/tiff",
        ".tiff": "image/tiff", ".webp": "image/webp", ".pdf": "application/pdf"}
COMPOSITE = DST + "compositeWithTrainedAlgorithmicMedia"


@dataclass(frozen=True)
class StudioSigner:
    """The studio's signing certificate chain (PEM: the signing certificate first, then its
    intermediates) and its private key (PEM, unencrypted, readable only by its owner)."""

    chain: Path
    key: Path

    @classmethod
    def from_env(cls) -> StudioSigner | None:
        """The signer named by ``TWINPROOF_SIGN_CERT`` and ``TWINPROOF_SIGN_KEY`` (None: unset)."""
        cert, key = os.environ.get(CERT_ENV), os.environ.get(KEY_ENV)
        if not cert and not key:
            return None
        if not (cert and key):
            raise ExportError(f"signing needs both {CERT_ENV} and {KEY_ENV} (see docs/signing.md)")
        return cls(Path(cert), Path(key))

    def native(self) -> Any:
        """A c2pa-python signer, or a one-line ExportError saying what is wrong."""
        try:
            import c2pa
        except ImportError as exc:
            raise ExportError("signing exports needs c2pa-python, which this build lacks") from exc
        try:
            chain, key = self.chain.read_bytes(), self.key.read_bytes()
        except OSError as exc:
            raise ExportError(f"signing certificate or key cannot be read: {exc.filename}: "
                              f"{exc.strerror or exc} (see docs/signing.md)") from exc
        algorithm = _algorithm(key)
        try:
            return c2pa.Signer.from_info(c2pa.C2paSignerInfo(getattr(c2pa.C2paSigningAlg, algorithm),
                                                             chain, key, None))
        except Exception as exc:
            raise ExportError(f"the signing certificate {self.chain} and key {self.key} were refused: "
                              f"{' '.join(str(exc).split())}") from exc


def _algorithm(key_pem: bytes) -> str:
    """The C2PA signing algorithm for a private key (ES256 for P-256, PS256 for RSA...)."""
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    try:
        key = load_pem_private_key(key_pem, password=None)
    except (ValueError, TypeError) as exc:
        raise ExportError(f"the signing key is not an unencrypted PEM private key ({exc})") from exc
    if isinstance(key, ec.EllipticCurvePrivateKey):
        sizes = {"secp256r1": "ES256", "secp384r1": "ES384", "secp521r1": "ES512"}
        if key.curve.name not in sizes:
            raise ExportError(f"a C2PA signing key's curve is P-256, P-384 or P-521, not {key.curve.name}")
        return sizes[key.curve.name]
    if isinstance(key, rsa.RSAPrivateKey):
        return "PS256"
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return "ED25519"
    raise ExportError(f"a C2PA signing key is EC, RSA or Ed25519, not {type(key).__name__}")


def review_of(item: PairExport) -> dict[str, Any]:
    """What the review decided about one pair, as the manifest states it."""
    d = item.decision
    return {
        "pair": item.pair.name, "shoot": item.shoot.name if item.shoot else None,
        "decision": item.state, "cleared_for_use": item.cleared, "clearance": item.clearance,
        "reviewer": d.reviewer if d else None, "database_login": d.db_role if d else None,
        "decided_at": d.created_at.isoformat() if d else None,
        "reasons": list(d.reasons) if d else [], "reason_text": d.reason_text if d else None,
        "comment": d.comment if d else None, "verdict": item.verdict,
        "talent": item.talent_name, "consent_valid": item.consent.ok,
        "twin_sha256": item.pair.twin_sha256, "real_sha256": item.pair.real_sha256,
    }


def _claim(title: str, actions: list[dict[str, Any]], reviews: list[dict[str, Any]]) -> dict[str, Any]:
    agent = {"name": "TwinProof", "version": __version__}
    return {"claim_generator_info": [agent], "title": title,
            "assertions": [{"label": "c2pa.actions", "data": {"actions": actions}},
                           {"label": REVIEW_LABEL, "data": {"reviews": reviews}}]}


def copy_manifest(item: PairExport, title: str) -> dict[str, Any]:
    source, _why = twin_source_type(credentials_of(item))
    agent = {"name": "TwinProof", "version": __version__}
    return _claim(title, [
        {"action": "c2pa.opened", "digitalSourceType": source, "softwareAgent": agent,
         "parameters": {"ingredientIds": ["twin"]}},
        {"action": "c2pa.edited.metadata", "softwareAgent": agent,
         "description": f"review recorded: {item.state.replace('_', ' ')}; {item.clearance}"},
    ], [review_of(item)])


def sheet_manifest(items: Sequence[PairExport], title: str) -> dict[str, Any]:
    agent = {"name": "TwinProof", "version": __version__}
    actions: list[dict[str, Any]] = [{"action": "c2pa.created", "digitalSourceType": COMPOSITE,
                                      "softwareAgent": agent,
                                      "description": "comparison sheet: real photographs beside AI-generated "
                                                     "digital twins, with the review's decisions"}]
    for n, item in enumerate(items):
        actions.append({"action": "c2pa.placed", "softwareAgent": agent,
                        "digitalSourceType": twin_source_type(credentials_of(item))[0],
                        "parameters": {"ingredientIds": [f"twin-{n}"]}})
    return _claim(title, actions, [review_of(i) for i in items])


def _ingredient(builder: Any, path: Path, label: str, relationship: str) -> None:
    mime = MIME.get(path.suffix.lower())
    if mime is None:
        return
    with path.open("rb") as stream:
        builder.add_ingredient({"title": path.name, "relationship": relationship, "label": label},
                               mime, stream)


def _sign(path: Path, manifest: dict[str, Any], ingredients: list[tuple[Path, str, str]],
          signer: Any) -> None:
    """Sign ``path`` in place (a temporary file beside it, then replaced: never half-written)."""
    import c2pa

    mime = MIME.get(path.suffix.lower())
    if mime is None:
        raise ExportError(f"{path.name}: C2PA signing is not supported for {path.suffix or 'this'} files")
    context = c2pa.Context.from_dict({**OFFLINE_SETTINGS, "builder": {"thumbnail": {"enabled": False}}})
    builder = c2pa.Builder(json.dumps(manifest), context)
    for ingredient, label, relationship in ingredients:
        _ingredient(builder, ingredient, label, relationship)
    try:
        with atomic_temp(path) as tmp, path.open("rb") as src, tmp.open("w+b") as dst:
            builder.sign(signer, mime, src, dst)
    except Exception as exc:
        if isinstance(exc, OSError | ExportError):
            raise
        raise ExportError(f"{path.name}: could not be signed: {' '.join(str(exc).split())}") from exc


def sign_copy(path: Path, item: PairExport, signer: Any) -> None:
    """The annotated copy of a twin, with the delivered twin as its parent ingredient."""
    _sign(path, copy_manifest(item, path.name), [(Path(item.pair.twin_path), "twin", "parentOf")], signer)


def sign_sheet(path: Path, items: Sequence[PairExport], signer: Any) -> None:
    """The comparison sheet, with every delivered twin as a component ingredient."""
    ingredients = [(Path(i.pair.twin_path), f"twin-{n}", "componentOf") for n, i in enumerate(items)]
    _sign(path, sheet_manifest(items, path.name), ingredients, signer)
