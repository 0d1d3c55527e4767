"""The review rules as PostgreSQL functions (migration 0003), kept apart for legibility.

Each function is ``SECURITY DEFINER``: it runs with the schema owner's rights, so a reviewer
role that holds no INSERT or UPDATE on decisions, consents, analyses or a pair's files can
still make those changes - but only through these doors, which check the rules and write the
audit event in the same transaction. ``session_user`` (the login that called) is what the
audit trail keeps as ``db_role``; ``current_user`` inside is the owner. ``search_path`` is
pinned to the schema the migration ran in (a definer function must not resolve names
through a caller's path). Errors use SQLSTATE class ``TP`` so the client maps them to its
typed errors: TP001 reason, TP002 override, TP003 conflict, TP004 not found, TP005 other rule.
The messages are the Python rules' messages, word for word (the tests run both backends).
"""

from __future__ import annotations

from twinproof.review.migrations.pairs_0003 import pair_functions

#: Rejected with a reason; the states a reviewer may decide (``suspended`` is the database's).
DECIDABLE = ("unreviewed", "approved", "approved_with_changes", "changes_requested", "rejected")
#: Audit events only the functions above (or the owner) may write.
RESERVED_EVENTS = ("decision", "override", "consent_block", "consent", "suspended", "analysis",
                   "file_changed")
FUNCTIONS = (
    "twinproof_is_owner()",
    "twinproof_consent_for(integer, date, text)",
    "twinproof_decide(integer, text, jsonb, text, text, text, integer, date, text, text)",
    "twinproof_add_consent(integer, text, date, date, jsonb, jsonb, text, text, text)",
    "twinproof_revoke_consent(integer, text, text)",
    "twinproof_store_analysis(integer, jsonb, text, text, jsonb, text)",
    "twinproof_set_files(integer, text, text, text, text, text, text)",
    "twinproof_link_talent(integer, integer, integer, text)",
    "twinproof_break_pair(integer, integer, text)",
)
TRIGGER_FUNCTIONS = ("twinproof_stamp_role()", "twinproof_guard_audit()", "twinproof_guard_consent()")


def _list(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def statements(schema: str) -> list[str]:
    """Every CREATE of migration 0003 for ``schema`` (already quoted)."""
    definer = f"SECURITY DEFINER SET search_path = {schema}, pg_temp"
    now = "(now() AT TIME ZONE 'UTC')"
    out = [
        f"""CREATE FUNCTION twinproof_is_owner() RETURNS boolean LANGUAGE sql STABLE {definer} AS $$
  SELECT pg_has_role(session_user, (SELECT relowner FROM pg_class WHERE oid = 'pairs'::regclass), 'MEMBER')
$$""",
        # The consent rule (talent.talent_problems): a covering consent's id, or the problems.
        f"""CREATE FUNCTION twinproof_consent_for(p_pair integer, p_day date, p_channel text,
    OUT consent_id integer, OUT problems text[]) LANGUAGE plpgsql STABLE {definer} AS $$
DECLARE
  v_pair record; v_talent record; c record; v_issues text[]; v_any boolean := false;
  v_campaign text;
BEGIN
  problems := ARRAY[]::text[];
  SELECT p.name, p.talent_id, s.campaign INTO v_pair FROM pairs p JOIN shoots s ON s.id = p.shoot_id
   WHERE p.id = p_pair;
  IF v_pair.talent_id IS NULL THEN
    problems := ARRAY['pair ''' || v_pair.name || ''' is linked to no talent: say who the real person is'];
    RETURN;
  END IF;
  v_campaign := v_pair.campaign;
  SELECT id, name INTO v_talent FROM talents WHERE id = v_pair.talent_id;
  FOR c IN SELECT * FROM consents WHERE talent_id = v_talent.id ORDER BY id LOOP
    IF c.revoked_at IS NOT NULL THEN CONTINUE; END IF;
    v_any := true;
    v_issues := ARRAY[]::text[];
    IF p_day < c.starts_on THEN v_issues := v_issues || ('starts only on ' || c.starts_on); END IF;
    IF p_day > c.expires_on THEN v_issues := v_issues || ('expired on ' || c.expires_on); END IF;
    IF jsonb_array_length(c.campaigns) > 0 AND v_campaign IS NOT NULL AND NOT c.campaigns ? v_campaign THEN
      v_issues := v_issues || ('does not cover campaign ''' || v_campaign || ''' ('
        || (SELECT string_agg(e, ', ' ORDER BY n) FROM jsonb_array_elements_text(c.campaigns)
            WITH ORDINALITY AS t(e, n)) || ')');
    END IF;
    IF jsonb_array_length(c.campaigns) > 0 AND v_campaign IS NULL THEN
      v_issues := v_issues || 'covers only named campaigns and the shoot has no campaign set'::text;
    END IF;
    IF jsonb_array_length(c.channels) > 0 AND p_channel IS NOT NULL AND NOT c.channels ? p_channel THEN
      v_issues := v_issues || ('does not cover channel ''' || p_channel || ''' ('
        || (SELECT string_agg(e, ', ' ORDER BY n) FROM jsonb_array_elements_text(c.channels)
            WITH ORDINALITY AS t(e, n)) || ')');
    END IF;
    IF cardinality(v_issues) = 0 THEN
      consent_id := c.id; problems := ARRAY[]::text[]; RETURN;
    END IF;
    problems := problems || ('consent ' || c.contract_ref || ' of ' || v_talent.name || ' '
                             || array_to_string(v_issues, ' and '));
  END LOOP;
  IF NOT v_any THEN
    problems := ARRAY['talent ' || v_talent.name || ' has no recorded consent'
      || CASE WHEN EXISTS (SELECT 1 FROM consents WHERE talent_id = v_talent.id) THEN ' (all revoked)'
              ELSE '' END || ' for a digital twin'];
  END IF;
END $$""",
        f"""CREATE FUNCTION twinproof_decide(p_pair integer, p_state text, p_reasons jsonb,
    p_reason_text text, p_comment text, p_override text, p_expected_version integer, p_on date,
    p_channel text, p_reviewer text) RETURNS jsonb LANGUAGE plpgsql VOLATILE {definer} AS $$
DECLARE
  v_pair pairs%ROWTYPE; v_analysis analyses%ROWTYPE; v_day date := coalesce(p_on, current_date);
  v_override text := nullif(btrim(coalesce(p_override, '')), '');
  v_reasons jsonb := coalesce(p_reasons, '[]'::jsonb);
  v_approving boolean := p_state IN ('approved', 'approved_with_changes');
  v_rule record; v_consent integer; v_id integer; v_version integer; v_bad text;
BEGIN
  IF p_state = 'suspended' THEN
    RAISE EXCEPTION USING ERRCODE = 'TP005', MESSAGE =
      'a twin is suspended only by revoking its consent; decide approved, rejected... instead';
  END IF;
  IF p_state IS NULL OR p_state NOT IN ({_list(DECIDABLE)}) THEN
    RAISE EXCEPTION USING ERRCODE = 'TP005', MESSAGE = 'unknown decision ''' || coalesce(p_state, '') || '''';
  END IF;
  IF btrim(coalesce(p_reviewer, '')) = '' THEN
    RAISE EXCEPTION USING ERRCODE = 'TP005', MESSAGE = 'a decision needs a reviewer name';
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
  IF p_on IS NOT NULL AND p_on <> current_date AND NOT twinproof_is_owner() THEN
    RAISE EXCEPTION USING ERRCODE = 'TP005', MESSAGE = format('a reviewer decides as of today '
      '(%s), not %s: consent is checked on the day the decision is made', current_date, p_on);
  END IF;
  IF jsonb_typeof(v_reasons) <> 'array' THEN
    RAISE EXCEPTION USING ERRCODE = 'TP005', MESSAGE = 'reasons must be a list';
  END IF;
  SELECT e INTO v_bad FROM jsonb_array_elements_text(v_reasons) e
   WHERE e NOT IN ('face_altered', 'body_altered', 'skin_tone_shifted', 'skin_retouched',
                   'garment_colour_wrong', 'scene_colour_changed', 'not_the_person', 'artefact', 'other')
   LIMIT 1;
  IF v_bad IS NOT NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'TP005', MESSAGE = 'unknown reason ''' || v_bad || '''';
  END IF;
  IF p_state IN ('changes_requested', 'rejected') AND jsonb_array_length(v_reasons) = 0 THEN
    RAISE EXCEPTION USING ERRCODE = 'TP001', MESSAGE = p_state || ' needs at least one reason';
  END IF;
  IF v_reasons ? 'other' AND btrim(coalesce(p_reason_text, '')) = '' THEN
    RAISE EXCEPTION USING ERRCODE = 'TP001', MESSAGE = 'reason ''other'' needs a written explanation';
  END IF;
  SELECT * INTO v_analysis FROM analyses WHERE pair_id = p_pair ORDER BY id DESC LIMIT 1;
  IF v_approving THEN
    SELECT * INTO v_rule FROM twinproof_consent_for(p_pair, v_day, p_channel);
    IF v_rule.consent_id IS NULL THEN
      INSERT INTO audit_events (at, reviewer, event, shoot_id, pair_id, summary, detail)
      VALUES ({now}, p_reviewer, 'consent_block', v_pair.shoot_id, v_pair.id,
              v_pair.name || ': approval blocked - ' || array_to_string(v_rule.problems, '; '),
              jsonb_build_object('attempted', p_state, 'on', v_day::text,
                                 'missing', to_jsonb(v_rule.problems), 'override_offered', v_override));
      RETURN jsonb_build_object('blocked', to_jsonb(v_rule.problems));
    END IF;
    v_consent := v_rule.consent_id;
    IF v_analysis.verdict = 'fail' AND v_override IS NULL THEN
      RAISE EXCEPTION USING ERRCODE = 'TP002', MESSAGE = format('pair ''%s'' failed the analysis; '
        'approving it needs --override with a written justification', v_pair.name);
    END IF;
  END IF;
  INSERT INTO decisions (pair_id, state, reasons, reason_text, comment, override_justification,
                         verdict_at_decision, analysis_id, reviewer, created_at, consent_id)
  VALUES (p_pair, p_state, v_reasons, p_reason_text, p_comment, v_override, v_analysis.verdict,
          v_analysis.id, p_reviewer, {now}, v_consent)
  RETURNING id INTO v_id;
  UPDATE pairs SET version = version + 1 WHERE id = p_pair RETURNING version INTO v_version;
  INSERT INTO audit_events (at, reviewer, event, shoot_id, pair_id, summary, detail)
  VALUES ({now}, p_reviewer, 'decision', v_pair.shoot_id, v_pair.id, v_pair.name || ': ' || p_state,
          jsonb_build_object('decision_id', v_id, 'reasons', v_reasons, 'reason_text', p_reason_text,
            'comment', p_comment, 'verdict', v_analysis.verdict, 'consent_id', v_consent,
            'analysis_current', v_analysis.id IS NOT NULL AND v_analysis.real_sha256 = v_pair.real_sha256
                                AND v_analysis.twin_sha256 = v_pair.twin_sha256));
  IF v_override IS NOT NULL AND v_approving AND v_analysis.verdict = 'fail' THEN
    INSERT INTO audit_events (at, reviewer, event, shoot_id, pair_id, summary, detail)
    VALUES ({now}, p_reviewer, 'override', v_pair.shoot_id, v_pair.id,
            v_pair.name || ': failed verdict overridden',
            jsonb_build_object('decision_id', v_id, 'justification', v_override));
  END IF;
  RETURN jsonb_build_object('decision_id', v_id, 'pair_version', v_version);
END $$""",
        f"""CREATE FUNCTION twinproof_add_consent(p_talent integer, p_ref text, p_starts date,
    p_expires date, p_campaigns jsonb, p_channels jsonb, p_release_path text, p_release_sha text,
    p_reviewer text) RETURNS integer LANGUAGE plpgsql VOLATILE {definer} AS $$
DECLARE v_name text; v_id integer;
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
  INSERT INTO consents (talent_id, contract_ref, starts_on, expires_on, campaigns, channels,
                        created_at, recorded_by, release_path, release_sha256)
  VALUES (p_talent, btrim(p_ref), p_starts, p_expires, coalesce(p_campaigns, '[]'),
          coalesce(p_channels, '[]'), {now}, p_reviewer, p_release_path, p_release_sha)
  RETURNING id INTO v_id;
  INSERT INTO audit_events (at, reviewer, event, summary, detail)
  VALUES ({now}, p_reviewer, 'consent',
          format('consent %s for %s: %s to %s', btrim(p_ref), v_name, p_starts, p_expires),
          jsonb_build_object('talent_id', p_talent, 'consent_id', v_id, 'campaigns', p_campaigns,
                             'channels', p_channels, 'release_path', p_release_path,
                             'release_sha256', p_release_sha));
  RETURN v_id;
END $$""",
        # Revoking suspends every approval that rested on the consent (or, for approvals made
        # before 0003 recorded which consent, on any consent of the pair's talent).
        f"""CREATE FUNCTION twinproof_revoke_consent(p_consent integer, p_reason text, p_reviewer text)
    RETURNS jsonb LANGUAGE plpgsql VOLATILE {definer} AS $$
DECLARE c consents%ROWTYPE; v_talent text; p record; v_id integer; v_done jsonb := '[]'; v_why text;
BEGIN
  SELECT * INTO c FROM consents WHERE id = p_consent FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION USING ERRCODE = 'TP004', MESSAGE = 'no consent with id ' || p_consent;
  END IF;
  IF c.revoked_at IS NOT NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'TP005', MESSAGE = format('consent %s was already revoked on %s',
      c.contract_ref, c.revoked_at::date);
  END IF;
  SELECT name INTO v_talent FROM talents WHERE id = c.talent_id;
  UPDATE consents SET revoked_at = {now} WHERE id = p_consent;
  INSERT INTO audit_events (at, reviewer, event, summary, detail)
  VALUES ({now}, p_reviewer, 'consent', 'consent ' || c.contract_ref || ' revoked'
          || coalesce(': ' || nullif(p_reason, ''), ''),
          jsonb_build_object('talent_id', c.talent_id, 'consent_id', c.id, 'reason', p_reason));
  v_why := format('consent %s of %s revoked on %s', c.contract_ref, v_talent, current_date)
           || coalesce(': ' || nullif(p_reason, ''), '');
  FOR p IN
    SELECT pr.id, pr.name, pr.shoot_id, d.id AS approval_id, d.state AS approval,
           (SELECT a.id FROM analyses a WHERE a.pair_id = pr.id ORDER BY a.id DESC LIMIT 1) AS analysis_id
      FROM pairs pr
      JOIN LATERAL (SELECT * FROM decisions WHERE pair_id = pr.id ORDER BY id DESC LIMIT 1) d ON true
     WHERE d.state IN ('approved', 'approved_with_changes')
       AND (d.consent_id = c.id OR (d.consent_id IS NULL AND pr.talent_id = c.talent_id))
     ORDER BY pr.id FOR UPDATE OF pr
  LOOP
    INSERT INTO decisions (pair_id, state, reasons, reason_text, verdict_at_decision, analysis_id,
                           reviewer, created_at, consent_id)
    VALUES (p.id, 'suspended', '[]', v_why,
            (SELECT verdict FROM analyses WHERE id = p.analysis_id), p.analysis_id, p_reviewer, {now}, c.id)
    RETURNING id INTO v_id;
    UPDATE pairs SET version = version + 1 WHERE id = p.id;
    INSERT INTO audit_events (at, reviewer, event, shoot_id, pair_id, summary, detail)
    VALUES ({now}, p_reviewer, 'suspended', p.shoot_id, p.id,
            p.name || ': ' || replace(p.approval, '_', ' ') || ' suspended - ' || v_why,
            jsonb_build_object('decision_id', v_id, 'suspended_decision_id', p.approval_id,
                               'consent_id', c.id, 'reason', p_reason));
    v_done := v_done || to_jsonb(p.id);
  END LOOP;
  RETURN jsonb_build_object('suspended', v_done);
END $$""",
        *pair_functions(definer, now),
        # The login that wrote a decision or an audit event, whatever name the client typed.
        """CREATE FUNCTION twinproof_stamp_role() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.db_role := session_user; RETURN NEW; END $$""",
        f"""CREATE FUNCTION twinproof_guard_audit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.event IN ({_list(RESERVED_EVENTS)}) AND current_user <> pg_get_userbyid(
      (SELECT relowner FROM pg_class WHERE oid = TG_RELID)) THEN
    RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = 'permission denied: a ' || NEW.event
      || ' audit event is written only by the database''s own rules';
  END IF;
  RETURN NEW;
END $$""",
        # A revocation stands, for every role (the owner would have to drop this trigger).
        """CREATE FUNCTION twinproof_guard_consent() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'twinproof: consents are append-only (consent % is kept; revoke it instead)', OLD.id;
  END IF;
  IF OLD.revoked_at IS NOT NULL THEN
    RAISE EXCEPTION 'twinproof: consent % was revoked; a revocation is final (record a new consent)', OLD.id;
  END IF;
  IF (NEW.talent_id, NEW.contract_ref, NEW.starts_on, NEW.expires_on, NEW.campaigns, NEW.channels,
      NEW.created_at, NEW.recorded_by, NEW.release_path, NEW.release_sha256)
     IS DISTINCT FROM (OLD.talent_id, OLD.contract_ref, OLD.starts_on, OLD.expires_on, OLD.campaigns,
      OLD.channels, OLD.created_at, OLD.recorded_by, OLD.release_path, OLD.release_sha256) THEN
    RAISE EXCEPTION 'twinproof: consent % is append-only except its revocation', OLD.id;
  END IF;
  RETURN NEW;
END $$""",
        "CREATE TRIGGER audit_events_stamp_role BEFORE INSERT ON audit_events "
        "FOR EACH ROW EXECUTE FUNCTION twinproof_stamp_role()",
        "CREATE TRIGGER decisions_stamp_role BEFORE INSERT ON decisions "
        "FOR EACH ROW EXECUTE FUNCTION twinproof_stamp_role()",
        "CREATE TRIGGER audit_events_reserved BEFORE INSERT ON audit_events "
        "FOR EACH ROW EXECUTE FUNCTION twinproof_guard_audit()",
        "CREATE TRIGGER consents_revocation_final BEFORE UPDATE OR DELETE ON consents "
        "FOR EACH ROW EXECUTE FUNCTION twinproof_guard_consent()",
    ]
    out += [f"REVOKE ALL ON FUNCTION {f} FROM PUBLIC" for f in FUNCTIONS]
    return out


def drops() -> list[str]:
    """What ``statements`` created, for the downgrade."""
    out = ["DROP TRIGGER IF EXISTS audit_events_stamp_role ON audit_events",
           "DROP TRIGGER IF EXISTS decisions_stamp_role ON decisions",
           "DROP TRIGGER IF EXISTS audit_events_reserved ON audit_events",
           "DROP TRIGGER IF EXISTS consents_revocation_final ON consents"]
    return out + [f"DROP FUNCTION IF EXISTS {f}" for f in (*reversed(FUNCTIONS), *TRIGGER_FUNCTIONS)]
