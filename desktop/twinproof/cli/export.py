"""``twinproof export``: comparison sheets (PDF), CSV/JSON data, audit CSV and XMP sidecars.

Exit 0 when everything was written, 1 when the job ran but some sidecars were refused (a
hostile or broken existing sidecar is never overwritten), 2 for bad input (no such pair,
a folder that does not exist, an image that cannot be read) - always one line on stderr.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from twinproof import review
from twinproof.cli.common import one_line, show
from twinproof.cli.shoot import EXIT_BAD_INPUT, EXIT_OK, EXIT_REFUSED, add_common, fail, guarded
from twinproof.core.errors import TwinProofError


@guarded
def _export(args: argparse.Namespace, store: review.ReviewStore) -> int:
    from twinproof.export import CsvFormat, ExportRequest, SheetOptions, XmpOptions, run_export
    from twinproof.export.errors import ExportCancelled, ExportError
    from twinproof.export.signing import StudioSigner

    pairs = [p.strip() for value in args.pairs or [] for p in value.split(",") if p.strip()]
    try:
        if bool(args.sign_cert) != bool(args.sign_key):
            raise ExportError("give both --sign-cert and --sign-key (or neither: see docs/signing.md)")
        signer = (None if args.no_sign else StudioSigner(args.sign_cert, args.sign_key) if args.sign_cert
                  else StudioSigner.from_env())
        request = ExportRequest(
            pdf=args.pdf, csv=args.csv, csv_format=CsvFormat.named(args.csv_format), json=args.json,
            audit_csv=args.audit_csv, xmp=args.xmp, copies=args.copies, copies_real=args.copies_real,
            pairs=pairs or None, shoot_id=args.shoot, decided_only=args.decided_only,
            sheet=SheetOptions(paper=args.paper, landscape=args.landscape, maps=not args.no_maps,
                               image_long_side=args.image_size),
            xmp_options=XmpOptions(approved_rating=args.rating, naming=args.xmp_naming,
                                   rate_real=args.rate_real),
            signer=signer,
        )
        result = run_export(store, request)
    except ExportCancelled:
        fail(args, "cancelled")
        return EXIT_REFUSED
    except TwinProofError as exc:
        fail(args, f"error: {exc}")
        return EXIT_BAD_INPUT
    for path in result.files:
        show(f"wrote {path}" + (f" ({result.pages} pages)" if path == args.pdf else ""))
    if result.sidecars:
        show(f"wrote {len(result.sidecars)} XMP sidecar(s)")
    if result.copies:
        show(f"wrote {len(result.copies)} annotated cop{'y' if len(result.copies) == 1 else 'ies'} "
              f"in {args.copies}")
    for note in result.notes:
        show(f"note: {note}")
    for problem in result.problems:
        print(f"twinproof export: {one_line(problem)}", file=sys.stderr)
    return EXIT_REFUSED if result.problems else EXIT_OK


def _rating(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of stars: {text!r}") from None
    if not 1 <= value <= 5:
        raise argparse.ArgumentTypeError("the approved rating is 1 to 5 stars")
    return value


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "export", help="write comparison sheets (PDF), CSV/JSON data and XMP sidecars",
        description="Export the review record. Every file written is noted in the audit trail.")
    p.add_argument("--pdf", type=Path, metavar="OUT.pdf", help="comparison sheets")
    p.add_argument("--csv", type=Path, metavar="OUT.csv", help="one row per pair")
    p.add_argument("--csv-format", choices=("comma", "semicolon", "locale"), default="comma",
                   help="comma: ',' and decimal point (default); semicolon: ';' and decimal comma, "
                        "as Excel in France, Germany, Italy... opens it; locale: from this machine")
    p.add_argument("--json", type=Path, metavar="OUT.json", help="full record and analyses")
    p.add_argument("--audit-csv", type=Path, metavar="OUT.csv", help="the audit trail")
    p.add_argument("--xmp", action="store_true",
                   help="write XMP sidecars next to the images (see docs/export.md: which tool reads what)")
    p.add_argument("--xmp-naming", choices=("adobe", "darktable", "both"), default="adobe",
                   help="IMG.xmp (Capture One; Lightroom and Bridge for raw files only), IMG.jpg.xmp "
                        "(darktable, digiKam), or both; Lightroom and Bridge need --copies for JPEG/PNG/TIFF")
    p.add_argument("--copies", type=Path, metavar="FOLDER",
                   help="annotated copies of the twins with the XMP embedded, for Lightroom and Bridge "
                        "(they ignore sidecars of JPEG/PNG/TIFF); the delivered files are never changed")
    p.add_argument("--copies-real", action="store_true", help="annotated copies of the real photographs too")
    p.add_argument("--rating", type=_rating, default=5, help="stars for an approved twin (1-5)")
    p.add_argument("--rate-real", action="store_true",
                   help="also write rating and label on the real photographs")
    p.add_argument("--pairs", nargs="+", metavar="PAIR", help="pair ids or names (default: all)")
    p.add_argument("--shoot", type=int, metavar="ID", help="only this shoot's pairs")
    p.add_argument("--decided-only", action="store_true", help="skip pairs not yet decided")
    p.add_argument("--paper", choices=("a4", "letter"), default="a4")
    p.add_argument("--landscape", action="store_true")
    p.add_argument("--image-size", type=int, metavar="PX",
                   help="shrink images to this long side for a smaller PDF (default: originals)")
    p.add_argument("--no-maps", action="store_true",
                   help="do not re-run the analysis for heat maps (faster sheets)")
    p.add_argument("--sign-cert", type=Path, metavar="CHAIN.pem",
                   help="sign the sheet and the annotated copies (C2PA) with this certificate chain "
                        "(default: $TWINPROOF_SIGN_CERT; see docs/signing.md)")
    p.add_argument("--sign-key", type=Path, metavar="KEY.pem",
                   help="the signing certificate's private key (default: $TWINPROOF_SIGN_KEY)")
    p.add_argument("--no-sign", action="store_true", help="do not sign, even when the studio's certificate is set")
    add_common(p)
    p.set_defaults(func=_export)
