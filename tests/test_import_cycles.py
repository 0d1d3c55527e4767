"""No import cycle in the package at run time: a module that imports another which (directly or
through others) imports it back is half-initialised for one of them, depending on which is
imported first, and the layers inside a package mean nothing once it has cycles. Imports under
``TYPE_CHECKING`` do not run and are left out; imports inside functions run and count."""

from __future__ import annotations

from pathlib import Path

import pytest

grimp = pytest.importorskip("grimp", reason="grimp comes with import-linter (the dev install)")

DESKTOP = Path(__file__).resolve().parent.parent / "desktop"
def _cycles() -> list[list[str]]:
    graph = grimp.build_graph("twinproof", exclude_type_checking_imports=True, cache_dir=None)
    found = []
    for module in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            if imported.startswith(module + ".") or module.startswith(imported + "."):
                continue  # a package and its own modules (``__init__`` re-exports)
            back = graph.find_shortest_chain(importer=imported, imported=module)
            if back:
                found.append([module, *back])
    return found


def test_no_import_cycle_in_the_package(monkeypatch):
    monkeypatch.syspath_prepend(str(DESKTOP))
    cycles = _cycles()
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)
