"""Opening and importing shoots, off the GUI thread.

Importing hashes every file (SHA-256 of 200 MB TIFFs), so it runs on the save thread; the
window opens the shoot when the job reports back. The sample shoot ships read-only under
``resources/sample``, so its review database lives in the user's data folder and points at
the images where they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path

from PySide6.QtGui import QImage

from twinproof import review
from twinproof.gui import imaging
from twinproof.gui.importer import ImportPlan
from twinproof.gui.importer import as_location as as_location  # where a plan's database is read
from twinproof.gui.session import ShootSession
from twinproof.gui.settings import data_dir
from twinproof.gui.workers import Job, Pools
from twinproof.paths import resource_path
from twinproof.review import ReviewStore, ShootRecord


@dataclass
class Opened:
    store: ReviewStore
    shoot: ShootRecord
    path: Path | str
    unmatched: list[str]
    problems: list[str]


def shown_location(location: Path | str) -> str:
    """A database for messages and the recent list: a server URL without its password."""
    if isinstance(location, Path):
        return str(location)
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(location).render_as_string(hide_password=True)
    except ArgumentError:
        return location


def without_password(url: str) -> str:
    """A server URL with no password in it at all (not "***", which would then be sent as
    the password): what the recent list keeps (``review.db.url_for_list``)."""
    from twinproof.review.db import url_for_list

    return url_for_list(url)


def with_password(url: str, password: str) -> str:
    """The URL to connect with once the reviewer typed the password (never stored)."""
    from sqlalchemy.engine import make_url

    return make_url(url).set(password=password).render_as_string(hide_password=False)


def needs_password(error: BaseException) -> bool:
    """A server refused for want of (the right) password: worth asking for one."""
    text = str(error).lower()
    return "password" in text and ("authentication failed" in text or "no password" in text)


def sample_plan() -> ImportPlan:
    return ImportPlan(resource_path("sample"), None, data_dir() / "sample" / "sample.shoot")


def run_import(plan: ImportPlan, job: Job | None = None) -> Opened:
    """Open (or create) the database, import the folders, pair the hand-made pairs; each
    stage is reported to ``job`` (the status bar names it from the first second)."""
    report = job.report if job is not None else (lambda _f, _m: None)
    report(0.0, "opening the review database")
    store = review.open_store(bounded(plan.database), plan.reviewer)
    try:
        result = review.import_shoot(store, plan.real_dir, plan.twin_dir, progress=report)
        problems = []
        for real, twin in plan.manual:
            try:
                review.make_pair(store, result.shoot.id, real, twin)
            except review.ReviewError as exc:
                problems.append(str(exc))
    except BaseException:
        store.close()
        raise
    unmatched = [f"{u.path.name}: {u.reason}" for u in result.unmatched
                 if not any(u.path in pair for pair in plan.manual)]
    return Opened(store, result.shoot, plan.database, unmatched, problems)


def open_database(path: Path | str, reviewer: str | None = None) -> tuple[ReviewStore, list[ShootRecord]]:
    store = review.open_store(bounded(path), reviewer)
    return store, review.list_shoots(store)


#: Seconds a team server gets to answer a connection: one that accepts and never answers (a
#: stuck server, another service's port) held the window frozen for good. The review layer's
#: bound, so the app and the CLI wait the same.
CONNECT_TIMEOUT_S = review.CONNECT_TIMEOUT_S


def bounded(location: Path | str) -> Path | str:
    """A PostgreSQL URL with libpq's ``connect_timeout`` (unless it names one); a file as is."""
    if not isinstance(location, str) or not location.startswith("postgresql"):
        return location
    from sqlalchemy.engine import make_url

    url = make_url(location)
    if "connect_timeout" in url.query:
        return location
    return url.update_query_dict({"connect_timeout": str(CONNECT_TIMEOUT_S)}).render_as_string(hide_password=False)


def import_job(plan: ImportPlan) -> Job:
    return Job(lambda j: run_import(plan, j), "save import")


def load_thumbnails(session: ShootSession, pools: Pools) -> None:
    """Queue a small thumbnail per pair (the twin, what is being judged), lowest priority."""
    for pid in session.order:
        state = session.pairs[pid]
        if state.thumbnail is not None:
            continue
        job = Job(partial(_thumbnail, state.record.twin_path), "thumbnail")
        job.signals.done.connect(partial(_set_thumbnail, session, pid))
        pools.run(job, priority=-10)


def _thumbnail(path: str, _job: Job) -> QImage:
    return imaging.read_thumbnail(path)


def _set_thumbnail(session: ShootSession, pair_id: int, image: QImage) -> None:
    if not image.isNull():
        session.set_thumbnail(pair_id, image)
