"""The database refuses to approve a stale analysis (migration 0009), kept apart for legibility.

``review.staleness`` is the rule: an analysis no longer holds when the pair's files, its control
mark, its linked talent, the talent's active reference portraits or their files changed since it was
made. Until 0009 the record held it in the client only, and a PostgreSQL team database let an
approval through on file hashes alone. Here:

- PostgreSQL: ``twinproof_stale_reason(analysis)`` says why in the client's words (NULL: it
  holds), and the trigger ``decisions_approve_current`` refuses an approving decision whose
  pair's newest analysis is stale, with SQLSTATE ``TP006`` (so ``twinproof_decide``, and the
  schema owner writing by hand, are refused alike). ``twinproof_store_analysis`` gains a form
  that records what the analysis was measured against (the 0003 form, which cannot say, stores
  an analysis the rule calls stale: "it was stored without saying ...").
- SQLite cannot raise a worded message from a trigger expression, so its trigger refuses with
  one fixed sentence; the client refuses first, with the reason (``review.decisions``).
"""

from __future__ import annotations

from twinproof.core.result.yardstick import CONTROL_MARK
from twinproof.review import staleness as s
from twinproof.review.migrations.pairs_0003 import pair_functions

OLD_STORE = "twinproof_store_analysis(integer, jsonb, text, text, jsonb, text)"
STORE = "twinproof_store_analysis(integer, jsonb, text, text, jsonb, text, integer, jsonb, jsonb)"
REFERENCE_FILE = "twinproof_set_reference_file(integer, text, text, text)"
FUNCTIONS = (STORE, REFERENCE_FILE)
#: What a portrait file can be seen as (``reference_basis``); NULL: as enrolled.
FILE_PROBLEMS = ("missing", "edited", "unreadable")
STALE_FUNCTION = "twinproof_stale_reason(integer)"
ID_SET = "twinproof_id_set(jsonb)"
TRIGGER = "decisions_approve_current"
TRIGGER_FUNCTION = "twinproof_guard_stale_approval()"
APPROVING = "('approved', 'approved_with_changes')"
#: SQLite's fixed refusal (the client words it with the reason before it gets here).
SQLITE_REFUSAL = ("TwinProof: cannot approve: the pair's newest analysis is stale (its files, control mark, "
                  "talent or reference portraits changed since it was analysed): " + s.ANALYSE_AGAIN)


def _q(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def store_function(schema: str) -> str:
    """0003's store function with the analysis' basis as three more arguments (its text taken
    from 0003, not copied: the anchors must each occur once)."""
    definer = f"SECURITY DEFINER SET search_path = {schema}, pg_temp"
    now = "(now() AT TIME ZONE 'UTC')"
    old = next(f for f in pair_functions(definer, now) if f.startswith("CREATE FUNCTION twinproof_store_analysis("))
    edits = [
        ("p_reviewer text) RETURNS integer",
         "p_reviewer text, p_talent integer, p_references jsonb, p_portraits jsonb) RETURNS integer"),
        ("  -- The verdict is read",
         "  IF jsonb_typeof(p_references) IS DISTINCT FROM 'array'\n"
         "     OR jsonb_typeof(p_portraits) IS DISTINCT FROM 'array' THEN\n"
         "    RAISE EXCEPTION USING ERRCODE = 'TP005', MESSAGE =\n"
         "      'an analysis says which reference portraits it was measured against (two lists of ids)';\n"
         "  END IF;\n  -- The verdict is read"),
        ("real_sha256, twin_sha256, created_at)", "real_sha256, twin_sha256, created_at, talent_id, reference_ids, "
                                                   "portrait_ids)"),
        (f"v_pair.real_sha256, v_pair.twin_sha256, {now})",
         f"v_pair.real_sha256, v_pair.twin_sha256, {now}, p_talent, twinproof_id_set(p_references), "
         "twinproof_id_set(p_portraits))"),
    ]
    for anchor, replacement in edits:
        if old.count(anchor) != 1:
            raise RuntimeError(f"migration 0009: the 0003 store function changed ({anchor!r})")
        old = old.replace(anchor, replacement)
    return old


def reference_file_function(schema: str) -> str:
    """The one door to a portrait file's state on PostgreSQL: the reviewer role holds no UPDATE
    on it, so every change is audited (with the login) in the same transaction."""
    definer = f"SECURITY DEFINER SET search_path = {schema}, pg_temp"
    now = "(now() AT TIME ZONE 'UTC')"
    problems = ", ".join(_q(p) for p in FILE_PROBLEMS)
    return f"""CREATE FUNCTION twinproof_set_reference_file(p_reference integer, p_problem text, p_summary text,
    p_reviewer text) RETURNS boolean LANGUAGE plpgsql VOLATILE {definer} AS $$
DECLARE r talent_references%ROWTYPE;
BEGIN
  IF p_problem IS NOT NULL AND p_problem NOT IN ({problems}) THEN
    RAISE EXCEPTION USING ERRCODE = 'TP005', MESSAGE = 'a portrait file is missing, edited or unreadable, not '
      || quote_literal(p_problem);
  END IF;
  SELECT * INTO r FROM talent_references WHERE id = p_reference FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION USING ERRCODE = 'TP004', MESSAGE = 'no reference portrait with id ' || p_reference;
  END IF;
  IF r.removed_at IS NOT NULL OR r.file_problem IS NOT DISTINCT FROM p_problem THEN
    RETURN false;
  END IF;
  UPDATE talent_references SET file_problem = p_problem WHERE id = p_reference;
  INSERT INTO audit_events (at, reviewer, event, summary, detail)
  VALUES ({now}, p_reviewer, 'reference', p_summary,
          jsonb_build_object('talent_id', r.talent_id, 'reference_id', r.id, 'file_problem', p_problem,
                             'path', r.path));
  RETURN true;
END $$"""


def _set_now(schema_talent: str, usable: bool) -> str:
    files = " AND file_problem IS NULL" if usable else ""
    return (f"(SELECT coalesce(jsonb_agg(id ORDER BY id), '[]') FROM talent_references "
            f"WHERE talent_id = {schema_talent} AND removed_at IS NULL{files})")


def statements(schema: str) -> list[str]:
    """Every CREATE of the upgrade on PostgreSQL (``schema`` already quoted)."""
    path = f"SET search_path = {schema}, pg_temp"
    return [
        f"""CREATE FUNCTION {ID_SET} RETURNS jsonb LANGUAGE sql IMMUTABLE {path} AS $$
  SELECT coalesce(jsonb_agg(DISTINCT (e)::integer ORDER BY (e)::integer), '[]')
    FROM jsonb_array_elements_text($1) e
$$""",
        f"""CREATE FUNCTION {STALE_FUNCTION} RETURNS text LANGUAGE plpgsql STABLE {path} AS $$
DECLARE a analyses%ROWTYPE; p pairs%ROWTYPE; v_was_control boolean;
BEGIN
  SELECT * INTO a FROM analyses WHERE id = $1;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  SELECT * INTO p FROM pairs WHERE id = a.pair_id;
  IF a.real_sha256 IS DISTINCT FROM p.real_sha256 OR a.twin_sha256 IS DISTINCT FROM p.twin_sha256 THEN
    RETURN {_q(s.FILES)};
  END IF;
  v_was_control := starts_with(coalesce(a.result #>> '{{analysis,mode_reason}}', ''), {_q(CONTROL_MARK)});
  IF p.control AND NOT v_was_control THEN
    RETURN {_q(s.MARKED)};
  END IF;
  IF v_was_control AND NOT p.control THEN
    RETURN {_q(s.UNMARKED)};
  END IF;
  IF jsonb_typeof(a.reference_ids) IS DISTINCT FROM 'array'
     OR jsonb_typeof(a.portrait_ids) IS DISTINCT FROM 'array' THEN
    RETURN {_q(s.UNRECORDED)};
  END IF;
  IF a.talent_id IS DISTINCT FROM p.talent_id AND twinproof_id_set(a.reference_ids) <> '[]' THEN
    RETURN {_q(s.TALENT)};
  END IF;
  IF twinproof_id_set(a.reference_ids) <> {_set_now('p.talent_id', False)} THEN
    RETURN {_q(s.PORTRAITS)};
  END IF;
  IF twinproof_id_set(a.portrait_ids) <> {_set_now('p.talent_id', True)} THEN
    RETURN {_q(s.PORTRAIT_FILES)};
  END IF;
  RETURN NULL;
END $$""",
        f"""CREATE FUNCTION {TRIGGER_FUNCTION} RETURNS trigger LANGUAGE plpgsql {path} AS $$
DECLARE v_analysis integer; v_why text; v_name text;
BEGIN
  IF NEW.state NOT IN {APPROVING} THEN
    RETURN NEW;
  END IF;
  SELECT max(id) INTO v_analysis FROM analyses WHERE pair_id = NEW.pair_id;
  v_why := twinproof_stale_reason(v_analysis);
  IF v_why IS NULL THEN
    RETURN NEW;
  END IF;
  SELECT name INTO v_name FROM pairs WHERE id = NEW.pair_id;
  RAISE EXCEPTION USING ERRCODE = 'TP006', TABLE = 'decisions', MESSAGE =
    format('cannot approve %s: its analysis is stale (%s): %s', quote_literal(v_name), v_why,
           {_q(s.ANALYSE_AGAIN)});
END $$""",
        f"CREATE TRIGGER {TRIGGER} BEFORE INSERT ON decisions FOR EACH ROW EXECUTE FUNCTION {TRIGGER_FUNCTION}",
        store_function(schema),
        reference_file_function(schema),
        f"REVOKE ALL ON FUNCTION {STORE} FROM PUBLIC",
        f"REVOKE ALL ON FUNCTION {REFERENCE_FILE} FROM PUBLIC",
        # Whoever could store analyses (the reviewer group granted at 0003..0008) may store them
        # with their basis, and record a portrait file's state, without a new ``db grant``.
        f"""DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT DISTINCT a.grantee::regrole::text AS who FROM pg_proc p, aclexplode(p.proacl) a
            WHERE p.oid = {_q(OLD_STORE)}::regprocedure AND a.privilege_type = 'EXECUTE'
              AND a.grantee <> 0 AND a.grantee <> p.proowner LOOP
    EXECUTE format('GRANT EXECUTE ON FUNCTION {STORE} TO %s', r.who);
    EXECUTE format('GRANT EXECUTE ON FUNCTION {REFERENCE_FILE} TO %s', r.who);
  END LOOP;
END $$""",
    ]


def drops() -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {TRIGGER} ON decisions", f"DROP FUNCTION IF EXISTS {TRIGGER_FUNCTION}",
            f"DROP FUNCTION IF EXISTS {STALE_FUNCTION}", f"DROP FUNCTION IF EXISTS {STORE}",
            f"DROP FUNCTION IF EXISTS {REFERENCE_FILE}", f"DROP FUNCTION IF EXISTS {ID_SET}"]


def _sqlite_set(usable: bool) -> str:
    files = " AND r.file_problem IS NULL" if usable else ""
    return ("(SELECT json_group_array(id) FROM (SELECT r.id FROM talent_references r WHERE r.talent_id = p.talent_id "
            f"AND r.removed_at IS NULL{files} ORDER BY r.id))")


def sqlite_trigger() -> str:
    """The same rule on a SQLite file, refused with one fixed sentence."""
    return f"""CREATE TRIGGER {TRIGGER} BEFORE INSERT ON decisions
WHEN NEW.state IN {APPROVING} AND EXISTS (
  SELECT 1 FROM analyses a JOIN pairs p ON p.id = a.pair_id
   WHERE a.id = (SELECT max(id) FROM analyses WHERE pair_id = NEW.pair_id)
     AND (a.real_sha256 IS NOT p.real_sha256 OR a.twin_sha256 IS NOT p.twin_sha256
          OR (p.control <> 0) <> (substr(coalesce(json_extract(a.result, '$.analysis.mode_reason'), ''), 1,
                                         {len(CONTROL_MARK)}) = {_q(CONTROL_MARK)})
          OR a.reference_ids IS NULL OR a.portrait_ids IS NULL
          OR json_type(a.reference_ids) IS NOT 'array' OR json_type(a.portrait_ids) IS NOT 'array'
          OR (a.talent_id IS NOT p.talent_id AND json(a.reference_ids) <> '[]')
          OR json(a.reference_ids) <> {_sqlite_set(False)}
          OR json(a.portrait_ids) <> {_sqlite_set(True)}))
BEGIN
  SELECT RAISE(ABORT, {_q(SQLITE_REFUSAL)});
END"""


#: The newest analysis of each pair: the only one the rule reads, so the only one backfilled.
_NEWEST = "SELECT max(id) FROM analyses GROUP BY pair_id"


def backfill(dialect: str) -> list[str]:
    """Give each pair's newest analysis the basis it had by the rule before 0009 (times): the
    pair's talent, unless its result measured identity without naming a talent (it was analysed
    before one was linked); the talent's references that existed when it was stored; all of their files
    as hers. An analysis stale by the old rule stays stale, one current stays current."""
    if dialect == "postgresql":
        unlinked = ("a.result #> '{metrics,identity,distance}' IS NOT NULL "
                    "AND a.result #> '{metrics,identity,talent}' IS NULL")
        refs = ("(SELECT coalesce(jsonb_agg(r.id ORDER BY r.id), '[]') FROM talent_references r "
                "WHERE r.talent_id = a.talent_id AND r.created_at <= a.created_at "
                "AND (r.removed_at IS NULL OR r.removed_at > a.created_at))")
    else:
        unlinked = ("json_extract(a.result, '$.metrics.identity.distance') IS NOT NULL "
                    "AND json_extract(a.result, '$.metrics.identity.talent') IS NULL")
        refs = ("(SELECT json_group_array(id) FROM (SELECT r.id FROM talent_references r "
                "WHERE r.talent_id = a.talent_id AND r.created_at <= a.created_at "
                "AND (r.removed_at IS NULL OR r.removed_at > a.created_at) ORDER BY r.id))")
    return [
        f"UPDATE analyses AS a SET talent_id = (SELECT CASE WHEN {unlinked} THEN NULL ELSE p.talent_id END "
        f"FROM pairs p WHERE p.id = a.pair_id) WHERE a.id IN ({_NEWEST})",
        f"UPDATE analyses AS a SET reference_ids = {refs} WHERE a.id IN ({_NEWEST})",
        f"UPDATE analyses SET portrait_ids = reference_ids WHERE id IN ({_NEWEST})",
    ]
