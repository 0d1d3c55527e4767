"""The control-frame rule function on PostgreSQL (migration 0005), kept apart for legibility.

Marking a pair a control (the generator's twin of this very real frame) changes what its
analysis is: a same-frame measurement whose changes are the generator's own bias for that
talent. The reviewer role holds no UPDATE on ``pairs.control``; this ``SECURITY DEFINER``
function checks the pair's version and writes the audit event in the same transaction, like
the other pair functions of 0003.
"""

from __future__ import annotations

FUNCTIONS = ("twinproof_set_control(integer, boolean, integer, text)",)


def statements(schema: str) -> list[str]:
    definer = f"SECURITY DEFINER SET search_path = {schema}, pg_temp"
    now = "(now() AT TIME ZONE 'UTC')"
    return [f"""CREATE FUNCTION twinproof_set_control(p_pair integer, p_control boolean, p_expected_version integer,
    p_reviewer text) RETURNS integer LANGUAGE plpgsql VOLATILE {definer} AS $$
DECLARE v_pair pairs%ROWTYPE; v_version integer;
BEGIN
  SELECT * INTO v_pair FROM pairs WHERE id = p_pair FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION USING ERRCODE = 'TP004', MESSAGE = 'no pair with id ' || p_pair;
  END IF;
  IF p_expected_version IS NOT NULL AND v_pair.version <> p_expected_version THEN
    RAISE EXCEPTION USING ERRCODE = 'TP003', MESSAGE = format('pair ''%s'' was changed by another '
      'reviewer (now version %s, you had %s); nothing was overwritten - reload and try again',
      v_pair.name, v_pair.version, p_expected_version);
  END IF;
  UPDATE pairs SET control = coalesce(p_control, false), version = version + 1 WHERE id = p_pair
    RETURNING version INTO v_version;
  INSERT INTO audit_events (at, reviewer, event, shoot_id, pair_id, summary, detail)
  VALUES ({now}, p_reviewer, 'control', v_pair.shoot_id, v_pair.id,
          v_pair.name || CASE WHEN coalesce(p_control, false) THEN ': marked a control frame'
                              ELSE ': no longer a control frame' END,
          jsonb_build_object('control', coalesce(p_control, false), 'previous', v_pair.control));
  RETURN v_version;
END $$"""]


def drops() -> list[str]:
    return [f"DROP FUNCTION IF EXISTS {f}" for f in FUNCTIONS]
