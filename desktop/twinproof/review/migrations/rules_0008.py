"""The two rules the client enforces since fix29, held by the database too (migration 0008).

psql, a script or a TwinProof of an earlier release reach a PostgreSQL team database without
this release's client-side checks (``review.talent.add_consent``, ``review.pair_rules``):

- A consent needs its signed release or a stated reason why there is none. The rule functions
  of 0003 (nine arguments, no reason) and 0006 (ten) are replaced by the same bodies with one
  check added after the contract-reference check; their text is taken from those migrations,
  not copied, so the downgrade restores them exactly. The 0003 form cannot carry a reason, so
  it refuses a consent without a release and says the client is too old.
- A twin is in one active pair of a shoot only, no file is the real of one active pair and the
  twin of another, and no file is paired with itself: a trigger on ``pairs`` (every backend
  also gets the partial unique index ``uq_pairs_active_twin``, which holds the first rule
  under concurrent writers). The trigger takes a per-shoot advisory lock before it looks, so
  two reviewers pairing crosswise at the same moment queue instead of both passing (READ
  COMMITTED, the default: the second one's look sees the first one's committed pair).

Refusals are SQLSTATE ``TP005`` worded as the client words them; the pair rule's refusals name the
table (``TABLE = 'pairs'``) so ``refusals.rule_error`` raises a ``PairingError``.
"""

from __future__ import annotations

from twinproof.review.migrations import consent_0006, rules_0003

#: Where the check goes: right after the contract-reference check, in both functions.
_ANCHOR = ("RAISE EXCEPTION USING ERRCODE = 'TP005', MESSAGE = 'a consent needs a contract reference';\n"
           "  END IF;\n")
NO_RELEASE = "Attach the signed release, or say why there is none."
TOO_OLD = ("Attach the signed release, or say why there is none (this client is too old to record a "
           "reason: update TwinProof).")
#: Blank is none, whatever the white space (``btrim`` strips only spaces; the client's
#: ``str.split`` every kind, no-break spaces too): a path or reason of only tabs or line breaks does not count.
_BLANK = ("coalesce({}, '') !~ '[^[:space:]"
          r"\u001c-\u001f\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]'")
#: A blank release path (not NULL) is refused even beside a reason: the client never sends one
#: (``talent._release``), and 0006 would keep it as the release and drop the reason.
_WITH_REASON = f"""  IF {_BLANK.format('p_release_path')}
     AND (p_release_path IS NOT NULL OR {_BLANK.format('p_no_release_reason')}) THEN
    RAISE EXCEPTION USING ERRCODE = 'TP005', MESSAGE = '{NO_RELEASE}';
  END IF;
"""
_WITHOUT_REASON = f"""  IF {_BLANK.format('p_release_path')} THEN
    RAISE EXCEPTION USING ERRCODE = 'TP005', MESSAGE = '{TOO_OLD}';
  END IF;
"""
TRIGGER = "pairs_one_role_per_file"
TRIGGER_FUNCTION = "twinproof_guard_pair_files()"


def consent_functions_0003_0006(schema: str) -> list[str]:
    """The consent functions as 0003 and 0006 created them, as CREATE OR REPLACE (the downgrade)."""
    old = [s for s in rules_0003.statements(schema) if s.startswith("CREATE FUNCTION twinproof_add_consent(")]
    old += consent_0006.statements(schema)
    if len(old) != 2:
        raise RuntimeError("migration 0008: the consent functions of 0003/0006 were not found")
    return [s.replace("CREATE FUNCTION ", "CREATE OR REPLACE FUNCTION ", 1) for s in old]


def _with_check(body: str, check: str) -> str:
    if body.count(_ANCHOR) != 1:
        raise RuntimeError("migration 0008: the contract-reference check of a consent function moved")
    return body.replace(_ANCHOR, _ANCHOR + check)


def consent_functions(schema: str) -> list[str]:
    """Both consent functions with the release-or-reason check (the upgrade)."""
    nine, ten = consent_functions_0003_0006(schema)
    return [_with_check(nine, _WITHOUT_REASON), _with_check(ten, _WITH_REASON)]


def _file(path: str) -> str:
    """A path's last part, in SQL (the client names files by name, ``Path.name``)."""
    return f"regexp_replace({path}, '^.*[/\\\\]', '')"


def pair_guard(schema: str) -> list[str]:
    """The trigger that holds the pair rule on PostgreSQL (words as ``review.pair_rules``)."""
    raise_ = "RAISE EXCEPTION USING ERRCODE = 'TP005', TABLE = 'pairs', MESSAGE ="
    return [f"""CREATE FUNCTION {TRIGGER_FUNCTION} RETURNS trigger LANGUAGE plpgsql
    SET search_path = {schema}, pg_temp AS $$
DECLARE o record;
BEGIN
  IF NEW.broken_at IS NOT NULL THEN
    RETURN NEW;
  END IF;
  IF NEW.real_path = NEW.twin_path THEN
    {raise_} format('%s cannot be paired with itself: choose the real photograph and its twin',
      NEW.real_path);
  END IF;
  PERFORM pg_advisory_xact_lock(hashtext('twinproof_pairs'), NEW.shoot_id);
  SELECT name, real_path, twin_path INTO o FROM pairs
   WHERE shoot_id = NEW.shoot_id AND broken_at IS NULL AND id <> NEW.id
     AND (twin_path = NEW.twin_path OR twin_path = NEW.real_path OR real_path = NEW.twin_path)
   ORDER BY id LIMIT 1;
  IF NOT FOUND THEN
    RETURN NEW;
  ELSIF o.twin_path = NEW.twin_path THEN
    {raise_} format('%s is already the twin of pair %L: a twin is in one pair only (break that '
      'pair first)', {_file('NEW.twin_path')}, o.name);
  ELSIF o.twin_path = NEW.real_path THEN
    {raise_} format('%s is the twin in pair %L: it cannot be the real photograph of another pair '
      '(break that pair first)', {_file('NEW.real_path')}, o.name);
  END IF;
  {raise_} format('%s is the real photograph of pair %L: it cannot be a twin (break that pair first)',
    {_file('NEW.twin_path')}, o.name);
END $$""",
            f"CREATE TRIGGER {TRIGGER} BEFORE INSERT OR UPDATE OF real_path, twin_path, broken_at ON pairs "
            f"FOR EACH ROW EXECUTE FUNCTION {TRIGGER_FUNCTION}"]


def pair_guard_drops() -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {TRIGGER} ON pairs", f"DROP FUNCTION IF EXISTS {TRIGGER_FUNCTION}"]
