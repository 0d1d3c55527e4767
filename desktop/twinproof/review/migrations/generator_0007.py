"""The generator rule function on PostgreSQL (migration 0007), kept apart for legibility.

Who made a twin (the model or vendor) is a fact the reviewer may know better than the file:
Content Credentials are often stripped on the way from a vendor. The reviewer role holds no
UPDATE on ``pairs.generator``; this ``SECURITY DEFINER`` function checks the pair's version and
writes the audit event in the same transaction, like ``twinproof_set_control`` (0005).
"""

from __future__ import annotations

FUNCTIONS = ("twinproof_set_generator(integer, text, integer, text)",)

#: Longest generator name kept (the column is text; the app trims and refuses longer).
MAX_GENERATOR = 200


def statements(schema: str) -> list[str]:
    definer = f"SECURITY DEFINER SET search_path = {schema}, pg_temp"
    now = "(now() AT TIME ZONE 'UTC')"
    return [f"""CREATE FUNCTION twinproof_set_generator(p_pair integer, p_generator text, p_expected_version integer,
    p_reviewer text) RETURNS integer LANGUAGE plpgsql VOLATILE {definer} AS $$
DECLARE v_pair pairs%ROWTYPE; v_version integer; v_name text;
BEGIN
  v_name := nullif(btrim(p_generator), '');
  IF v_name IS NOT NULL AND length(v_name) > {MAX_GENERATOR} THEN
    RAISE EXCEPTION USING ERRCODE = '22001', MESSAGE = 'a generator name is at most {MAX_GENERATOR} characters';
  END IF;
  SELECT * INTO v_pair FROM pairs WHERE id = p_pair FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION USING ERRCODE = 'TP004', MESSAGE = 'no pair with id ' || p_pair;
  END IF;
  IF p_expected_version IS NOT NULL AND v_pair.version <> p_expected_version THEN
    RAISE EXCEPTION USING ERRCODE = 'TP003', MESSAGE = format('pair ''%s'' was changed by another '
      'reviewer (now version %s, you had %s); nothing was overwritten - reload and try again',
      v_pair.name, v_pair.version, p_expected_version);
  END IF;
  UPDATE pairs SET generator = v_name, version = version + 1 WHERE id = p_pair RETURNING version INTO v_version;
  INSERT INTO audit_events (at, reviewer, event, shoot_id, pair_id, summary, detail)
  VALUES ({now}, p_reviewer, 'generator', v_pair.shoot_id, v_pair.id,
          v_pair.name || CASE WHEN v_name IS NULL THEN ': generator cleared'
                              ELSE ': generator set to ' || v_name END,
          jsonb_build_object('generator', v_name, 'previous', v_pair.generator));
  RETURN v_version;
END $$"""]


def drops() -> list[str]:
    return [f"DROP FUNCTION IF EXISTS {f}" for f in FUNCTIONS]


#: The parts of a stored result the shoot audit reads (``review.drift_source.PARTS``), kept by
#: PostgreSQL beside each result as a generated column: the audit of 10,000 pairs then reads a
#: few KB per pair instead of detoasting ~100 KB of JSONB (computed on insert, by every writer,
#: and for every stored result when the column is added: its own backfill).
AUDIT_PARTS_PATHS: tuple[tuple[str, ...], ...] = (
    ("schema",), ("analysis", "mode"), ("provenance",), ("metrics", "face", "changes"),
    ("metrics", "face", "proportions"), ("metrics", "face", "identity_edits"), ("metrics", "body", "proportions"),
    ("metrics", "body", "widths"), ("metrics", "skin"), ("metrics", "texture"), ("metrics", "identity"),
    ("uncertainty",),
)


def audit_parts_statements(paths: tuple[tuple[str, ...], ...] = AUDIT_PARTS_PATHS) -> list[str]:
    """The function (``jsonb_build_array`` is only STABLE, so it is wrapped in one declared
    IMMUTABLE, which it is: its output depends on its input alone) and the generated column:
    one array element per path, JSON null where the result has none."""
    parts = ", ".join("p_result #> '{" + ",".join(p) + "}'" for p in paths)
    return [f"""CREATE FUNCTION twinproof_audit_parts(p_result jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE
PARALLEL SAFE AS $$ SELECT jsonb_build_array({parts}) $$""",
            "ALTER TABLE analyses ADD COLUMN audit_parts jsonb "
            "GENERATED ALWAYS AS (twinproof_audit_parts(result)) STORED"]


def audit_parts_drops() -> list[str]:
    return ["ALTER TABLE analyses DROP COLUMN IF EXISTS audit_parts",
            "DROP FUNCTION IF EXISTS twinproof_audit_parts(jsonb)"]
