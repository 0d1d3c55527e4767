"""Decisions from the keyboard or the decision bar, with the review rules made conversational.

The rules live in ``twinproof.review.decide``; this module turns each refusal into the
question that resolves it: a reason dialog for reject / request changes, an override
justification when approving a failed twin, a clear message when consent is missing or the
analysis no longer holds (which no justification can override), and a reload when another
reviewer got there first.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget

from twinproof import review
from twinproof.gui import dialogs, evidence, portraits, talentlink
from twinproof.gui.session import ShootSession
from twinproof.gui.workers import Job
from twinproof.review import (
    ConflictError,
    ConsentError,
    DecisionState,
    OverrideRequiredError,
    ReviewError,
    ReviewStore,
    StaleAnalysisError,
)
from twinproof.review import commands as cmd
from twinproof.review.talent import consent_check

#: Puts a carried-out command on the undo stack: (store, command, after, pair id).
Undo = Callable[[ReviewStore, Any, Callable[[], None], int], None]

ACTIONS = {
    DecisionState.REJECTED: "Reject",
    DecisionState.CHANGES_REQUESTED: "Request changes",
}


def consent_status(session: ShootSession, pair_id: int) -> tuple[bool, str]:
    """Can this pair's twin be approved today, and why not.

    ``review.talent.consent_check`` applies the same rule as ``decide``, so the badge and the
    decision can never disagree.
    """
    problems = consent_check(session.store, pair_id)
    state = session.pairs[pair_id].record
    if problems:
        return False, "; ".join(problems)
    return True, f"{state.talent_name}: consent valid today"


class Decider(QObject):
    decided = Signal(int, str)

    def __init__(self, parent_widget: QWidget, parent: QObject | None = None, *,
                 undo: Undo | None = None, ensure_reviewer: Callable[[], bool] = lambda: True,
                 real_image: Callable[[int], QImage | None] = lambda _pid: None,
                 run_job: Callable[[Job], object] = lambda job: job.run()) -> None:
        """What it needs comes in here (the window passes its own), never assigned later."""
        super().__init__(parent)
        self.widget = parent_widget
        self.session: ShootSession | None = None
        #: Puts a carried-out decision on the window's undo stack (store, command, after, pair).
        self.undo = undo
        #: Asks for the reviewer's name the first time something is recorded; False: not given.
        self.ensure_reviewer = ensure_reviewer
        #: The real photograph of a pair, when it is loaded (for the talent dialog).
        self.real_image = real_image
        #: Runs a background job (the window's interactive pool).
        self.run_job = run_job

    def decide(self, state: DecisionState) -> bool:
        """Decide on the current pair; True when it was recorded."""
        session = self.session
        pair = session.current if session else None
        if session is None or pair is None or not self.ensure_reviewer():
            return False
        reasons: list[str] = []
        text = comment = override = None
        if state in ACTIONS:
            suggested = review.suggest_reasons(pair.typed)
            answer = dialogs.ask_reasons(self.widget, ACTIONS[state], pair.record.name, suggested)
            if answer is None:
                return False
            reasons, text, comment = answer
        for _attempt in range(2):
            command = cmd.Decide(pair.id, state, tuple(reasons), text, comment, override,
                                 pair.record.version)
            try:
                command.do(session.store)
            except OverrideRequiredError:
                problems = "\n".join(f"• {f.get('message', '')}" for f in evidence.flags_of(pair.typed))
                override = dialogs.ask_override(self.widget, pair.record.name, problems)
                if override is None:
                    return False
                continue
            except ConsentError as exc:
                dialogs.show_error(self.widget, "Consent missing — cannot approve",
                                   f"{exc}\n\nRecord the talent's consent in the Consent panel (View → Consent) "
                                   "or link the right talent (T); the attempt is in the audit trail.")
                session.refresh(pair.id)
                return False
            except StaleAnalysisError as exc:  # no justification helps: the verdict no longer stands
                dialogs.show_error(self.widget, "Analysis out of date — cannot approve",
                                   f"{exc}\n\nThe pair is measured again while it is on screen (or Pair → Analyse "
                                   "the shoot, Ctrl+R); approve once the new analysis is shown.")
                session.refresh(pair.id)
                return False
            except ConflictError as exc:
                dialogs.show_error(self.widget, "Changed by someone else", str(exc))
                session.refresh(pair.id)
                return False
            except ReviewError as exc:
                dialogs.show_error(self.widget, "Decision not recorded", str(exc))
                return False
            session.refresh(pair.id)
            if self.undo is not None:  # Ctrl+Z takes it back (as a new, audited decision)
                self.undo(session.store, command, partial(session.refresh, pair.id), pair.id)
            self.decided.emit(pair.id, state.value)
            return True
        return False

    def rate(self, stars: int) -> None:
        """0-5 stars through the review layer's ratings (audited), undoable with Ctrl+Z."""
        session = self.session
        pair = session.current if session else None
        if session is None or pair is None or not self.ensure_reviewer():
            return
        command = cmd.Rate(pair.id, stars)
        try:
            command.do(session.store)
        except ReviewError as exc:
            dialogs.show_error(self.widget, "Rating not recorded", str(exc))
            return
        finally:
            session.refresh(pair.id)
        if self.undo is not None:
            self.undo(session.store, command, partial(session.refresh, pair.id), pair.id)

    def link_talent(self) -> bool:
        """Ask who the real person of the pair on screen is (nothing pre-chosen), confirm when
        the link would allow approval, and link (or unlink) undoably. True when linked."""
        session = self.session
        pair = session.current if session else None
        if session is None or pair is None or not self.ensure_reviewer():
            return False
        store = session.store
        try:
            people = review.list_talent(store)
            words = {t.name: consent_words(review.consent_check_for(store, pair.id, t.id))
                     for t in people}
        except ReviewError as exc:
            dialogs.show_error(self.widget, "Talent not linked", str(exc))
            return False
        faces = {t.name: image for t in people if (image := talentlink.portrait(store, t.id)) is not None}
        likeness = self.likeness_for(pair.record.real_path, portraits.references_by_name(store, people))
        choice = talentlink.ask_link(self.widget, pair.record.name, self.real_image(pair.id), people,
                                     pair.record.talent_name, words, faces, likeness)
        if choice is None or choice.name == pair.record.talent_name:
            return False
        try:
            if choice.name is not None and choice.new:  # the Consent panel shows them at once
                name = choice.name
                session.workspace.write(lambda: review.add_talent(store, name), talent=True)
            elif choice.name is not None and not review.consent_check_for(store, pair.id, choice.name) \
                    and not talentlink.ask_open_gate(self.widget, pair.record.name, choice.name):
                return False
            command = cmd.LinkTalent(pair.id, choice.name)
            command.do(store)
        except ReviewError as exc:
            dialogs.show_error(self.widget, "Talent not linked", str(exc))
            session.refresh(pair.id)
            return False
        session.refresh(pair.id)
        if self.undo is not None:
            self.undo(store, command, partial(session.refresh, pair.id), pair.id)
        return True


    def likeness_for(self, real_path: str, references: portraits.References) -> talentlink.Likeness | None:
        """A suggestion by face: the real photograph against each person's reference portraits,
        on a worker (the identity models take a second or two); None when nobody has one."""
        if not references:
            return None

        def start(deliver: Callable[[object], None]) -> None:
            job = Job(lambda _j: portraits.likeness(real_path, references), "likeness")
            job.signals.done.connect(deliver)
            job.signals.failed.connect(lambda exc: deliver(str(exc)))
            self.run_job(job)
        return start


def consent_words(problems: list[str]) -> str:
    if not problems:
        return "Consent valid today for this shoot: linking lets this twin be approved."
    return "Approval stays blocked: " + "; ".join(problems)
