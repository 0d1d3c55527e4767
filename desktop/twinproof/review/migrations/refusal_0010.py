"""A refused approval of a stale analysis is on the record (migration 0010), kept apart for legibility.

Until 0010 the database refused it (the trigger of 0009, SQLSTATE ``TP006``) by raising, which
rolls back everything the call wrote: the attempt left no trace. A reviewer's refused attempt is
part of the record, like a consent block. On PostgreSQL:

- ``twinproof_decide`` checks the pair's newest analysis before the consent (as the client does),
  and for a stale one writes a ``stale_block`` event and returns ``{"stale": why, "pair": name}``
  in a transaction the client commits, then refuses (``review.decisions``); the trigger of 0009
  stays, for an INSERT that goes around the function.
- Its ``decision`` event says what the analysis was compared against, not only whether the file
  hashes matched: ``analysis_id``, ``analysis_current`` by the whole rule of 0009 (files, control
  mark, talent, reference portraits and their files), ``stale_reason``, and the ids compared
  (``analysed``: the talent and portraits recorded with the analysis; ``now``: the pair's).
- ``stale_block`` joins the events only the rules may write (``twinproof_guard_audit``): a reviewer
  cannot forge one, nor one of a refusal that did not happen.

Both functions are derived from their 0003 text by anchored edits (each anchor must occur once),
so the downgrade restores that text exactly. SQLite holds no event rule: the client writes the
event there (``review.decisions``), and the migration changes nothing in the file.
"""

from __future__ import annotations

from twinproof.review.migrations.rules_0003 import RESERVED_EVENTS, statements

#: The event a refused approval of a stale analysis writes (``review.audit.AuditEventKind.STALE_BLOCK``).
STALE_BLOCK = "stale_block"
DECIDE = "CREATE FUNCTION twinproof_decide("
GUARD = "CREATE FUNCTION twinproof_guard_audit()"


def _ids_now(usable: bool) -> str:
    files = " AND file_problem IS NULL" if usable else ""
    return (f"(SELECT coalesce(jsonb_agg(id ORDER BY id), '[]') FROM talent_references "
            f"WHERE talent_id = v_pair.talent_id AND removed_at IS NULL{files})")


def _recorded(column: str) -> str:
    """An analysis' recorded ids as a sorted set, NULL when it recorded none (stored before 0009)."""
    return f"CASE WHEN jsonb_typeof({column}) = 'array' THEN twinproof_id_set({column}) END"


#: What an approval was (or would have been) decided on: the analysis, whether it holds, why not,
#: and the ids the rule compares (the same keys as ``staleness.compared`` on SQLite).
COMPARED = (
    "'analysis_id', v_analysis.id, 'analysis_current', v_analysis.id IS NOT NULL AND v_stale IS NULL, "
    "'stale_reason', v_stale, "
    "'analysed', CASE WHEN v_analysis.id IS NULL THEN NULL ELSE jsonb_build_object('talent_id', "
    f"v_analysis.talent_id, 'reference_ids', {_recorded('v_analysis.reference_ids')}, 'portrait_ids', "
    f"{_recorded('v_analysis.portrait_ids')}) END, "
    f"'now', jsonb_build_object('talent_id', v_pair.talent_id, 'reference_ids', {_ids_now(False)}, "
    f"'portrait_ids', {_ids_now(True)})"
)


def _original(prefix: str, schema: str) -> str:
    return next(s for s in statements(schema) if s.startswith(prefix))


def _edit(text: str, edits: list[tuple[str, str]]) -> str:
    for anchor, replacement in edits:
        if text.count(anchor) != 1:
            raise RuntimeError(f"migration 0010: the 0003 function changed ({anchor!r})")
        text = text.replace(anchor, replacement)
    return text


def _replace(create: str) -> str:
    return create.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)


def decide_function(schema: str) -> str:
    """0003's ``twinproof_decide`` with the stale check audited and the decision's basis said."""
    now = "(now() AT TIME ZONE 'UTC')"
    return _replace(_edit(_original(DECIDE, schema), [
        ("v_rule record; v_consent integer;", "v_rule record; v_consent integer; v_stale text;"),
        ("  IF v_approving THEN\n    SELECT * INTO v_rule",
         "  IF v_analysis.id IS NOT NULL THEN\n"
         "    v_stale := twinproof_stale_reason(v_analysis.id);\n"
         "  END IF;\n"
         "  IF v_approving AND v_stale IS NOT NULL THEN\n"
         "    INSERT INTO audit_events (at, reviewer, event, shoot_id, pair_id, summary, detail)\n"
         f"    VALUES ({now}, p_reviewer, '{STALE_BLOCK}', v_pair.shoot_id, v_pair.id,\n"
         "            v_pair.name || ': approval refused - its analysis is stale (' || v_stale || ')',\n"
         "            jsonb_build_object('attempted', p_state, 'override_offered', v_override, "
         f"{COMPARED}));\n"
         "    RETURN jsonb_build_object('stale', v_stale, 'pair', v_pair.name);\n"
         "  END IF;\n"
         "  IF v_approving THEN\n    SELECT * INTO v_rule"),
        ("            'analysis_current', v_analysis.id IS NOT NULL AND v_analysis.real_sha256 = v_pair.real_sha256\n"
         "                                AND v_analysis.twin_sha256 = v_pair.twin_sha256));",
         f"            {COMPARED}));"),
    ]))


def guard_function(schema: str) -> str:
    """0003's audit guard with ``stale_block`` among the events only the rules write."""
    reserved = ", ".join(f"'{e}'" for e in RESERVED_EVENTS)
    return _replace(_edit(_original(GUARD, schema), [(f"IN ({reserved})", f"IN ({reserved}, '{STALE_BLOCK}')")]))


def upgrade_statements(schema: str) -> list[str]:
    return [decide_function(schema), guard_function(schema)]


def downgrade_statements(schema: str) -> list[str]:
    """0003's text of both, as 0009 left them (CREATE OR REPLACE keeps owner and grants)."""
    return [_replace(_original(DECIDE, schema)), _replace(_original(GUARD, schema))]
