"""A consent recorded without its signed release keeps why (migration 0006), on PostgreSQL too.

The app asks for the signed release or a stated reason why there is none (issue 26), and the
reason belongs in the audit trail beside the consent. On PostgreSQL consents are written only
by the rule function of 0003, whose audit event could not carry the reason: this function
takes it as a tenth argument and writes the same event with it (summary and detail as the
SQLite path writes them, ``review.talent.add_consent``). The 0003 function stays for a client
of that release; the reviewer role may call both.
"""

from __future__ import annotations

FUNCTIONS = ("twinproof_add_consent(integer, text, date, date, jsonb, jsonb, text, text, text, text)",)


def statements(schema: str) -> list[str]:
    definer = f"SECURITY DEFINER SET search_path = {schema}, pg_temp"
    now = "(now() AT TIME ZONE 'UTC')"
    return [f"""CREATE FUNCTION twinproof_add_consent(p_talent integer, p_ref text, p_starts date,
    p_expires date, p_campaigns jsonb, p_channels jsonb, p_release_path text, p_release_sha text,
    p_reviewer text, p_no_release_reason text) RETURNS integer LANGUAGE plpgsql VOLATILE {definer} AS $$
DECLARE v_name text; v_id integer; v_why text;
BEGIN
  SELECT name INTO v_name FROM talents WHERE id = p_talent;
  IF NOT FOUND THEN
    RAISE EXCEPTION USING ERRCODE = 'TP004', MESSAGE = 'no talent ' || p_talent || ' in the registry; add it first';
  END IF;
  IF p_expires < p_starts THEN
    RAISE EXCEPTION USING ERRCODE = 'TP005', MESSAGE = format('consent expires (%s) before it starts (%s)',
      p_expires, p_starts);
  END IF;
  IF btrim(coalesce(p_ref, '')) = '' THEN
    RAISE EXCEPTION USING ERRCODE = 'TP005', MESSAGE = 'a consent needs a contract reference';
  END IF;
  v_why := CASE WHEN p_release_path IS NULL THEN nullif(btrim(coalesce(p_no_release_reason, '')), '') END;
  INSERT INTO consents (talent_id, contract_ref, starts_on, expires_on, campaigns, channels,
                        created_at, recorded_by, release_path, release_sha256)
  VALUES (p_talent, btrim(p_ref), p_starts, p_expires, coalesce(p_campaigns, '[]'),
          coalesce(p_channels, '[]'), {now}, p_reviewer, p_release_path, p_release_sha)
  RETURNING id INTO v_id;
  INSERT INTO audit_events (at, reviewer, event, summary, detail)
  VALUES ({now}, p_reviewer, 'consent',
          format('consent %s for %s: %s to %s', btrim(p_ref), v_name, p_starts, p_expires)
            || coalesce('; no signed release: ' || v_why, ''),
          jsonb_build_object('talent_id', p_talent, 'consent_id', v_id, 'campaigns', p_campaigns,
                             'channels', p_channels, 'release_path', p_release_path,
                             'release_sha256', p_release_sha)
            || CASE WHEN v_why IS NULL THEN '{{}}'::jsonb ELSE jsonb_build_object('no_release_reason', v_why) END);
  RETURN v_id;
END $$"""]


def drops() -> list[str]:
    return [f"DROP FUNCTION IF EXISTS {f}" for f in FUNCTIONS]
