"""Migration 0003's functions for what a pair is: its analysis, its files, its talent and its
unpairing (the decisions and consents are in ``rules_0003``, which explains the conventions:
``SECURITY DEFINER`` with a pinned ``search_path``, SQLSTATE class ``TP``, the audit event in
the same transaction, the Python rules' wording)."""

from __future__ import annotations


def pair_functions(definer: str, now: str) -> list[str]:
    """The CREATE FUNCTION statements (``definer``: the SECURITY DEFINER clause; ``now``: the
    UTC timestamp expression)."""
    return [
    f"""CREATE FUNCTION twinproof_store_analysis(p_pair integer, p_result jsonb, p_policy_name text,
    p_policy_version text, p_model_versions jsonb, p_reviewer text) RETURNS integer
    LANGUAGE plpgsql VOLATILE {definer} AS $$
DECLARE v_pair pairs%ROWTYPE; v_verdict text; v_id integer;
BEGIN
  SELECT * INTO v_pair FROM pairs WHERE id = p_pair FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION USING ERRCODE = 'TP004', MESSAGE = 'no pair with id ' || p_pair;
  END IF;
  -- The verdict is read from the result itself: a stored verdict never disagrees with it.
  v_verdict := lower(CASE jsonb_typeof(p_result -> 'verdict')
    WHEN 'object' THEN coalesce(p_result -> 'verdict' ->> 'verdict', p_result -> 'verdict' ->> 'status',
                                p_result -> 'verdict' ->> 'level')
    ELSE p_result ->> 'verdict' END);
  INSERT INTO analyses (pair_id, result, verdict, policy_name, policy_version, model_versions,
                        real_sha256, twin_sha256, created_at)
  VALUES (p_pair, p_result, v_verdict, p_policy_name, p_policy_version, coalesce(p_model_versions, '{{}}'),
          v_pair.real_sha256, v_pair.twin_sha256, {now})
  RETURNING id INTO v_id;
  INSERT INTO audit_events (at, reviewer, event, shoot_id, pair_id, summary, detail)
  VALUES ({now}, p_reviewer, 'analysis', v_pair.shoot_id, v_pair.id,
          v_pair.name || ': analysed, verdict ' || coalesce(v_verdict, 'none'),
          jsonb_build_object('verdict', v_verdict, 'policy_version', p_policy_version,
                             'model_versions', coalesce(p_model_versions, '{{}}'), 'analysis_id', v_id));
  RETURN v_id;
END $$""",
        # A pair's files change only here (re-import, re-hash, analysis of edited bytes): audited.
    f"""CREATE FUNCTION twinproof_set_files(p_pair integer, p_side text, p_path text, p_sha text,
    p_summary text, p_why text, p_reviewer text) RETURNS integer LANGUAGE plpgsql VOLATILE {definer} AS $$
DECLARE v_pair pairs%ROWTYPE; v_version integer;
BEGIN
  IF p_side NOT IN ('real', 'twin') THEN
    RAISE EXCEPTION USING ERRCODE = 'TP005', MESSAGE = 'a side is real or twin, not ' || coalesce(p_side, 'null');
  END IF;
  IF p_sha !~ '^[0-9a-f]{{64}}$' THEN
    RAISE EXCEPTION USING ERRCODE = 'TP005', MESSAGE = 'a file hash is 64 hexadecimal digits (SHA-256)';
  END IF;
  SELECT * INTO v_pair FROM pairs WHERE id = p_pair FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION USING ERRCODE = 'TP004', MESSAGE = 'no pair with id ' || p_pair;
  END IF;
  IF p_side = 'real' THEN
    UPDATE pairs SET real_path = coalesce(p_path, real_path), real_sha256 = p_sha, version = version + 1
     WHERE id = p_pair RETURNING version INTO v_version;
  ELSE
    UPDATE pairs SET twin_path = coalesce(p_path, twin_path), twin_sha256 = p_sha, version = version + 1
     WHERE id = p_pair RETURNING version INTO v_version;
  END IF;
  INSERT INTO audit_events (at, reviewer, event, shoot_id, pair_id, summary, detail)
  VALUES ({now}, p_reviewer, 'file_changed', v_pair.shoot_id, v_pair.id,
          v_pair.name || ': ' || coalesce(nullif(p_summary, ''), p_side || ' image content changed'),
          jsonb_build_object('side', p_side, 'path', coalesce(p_path, CASE p_side WHEN 'real'
                             THEN v_pair.real_path ELSE v_pair.twin_path END), 'sha256', p_sha,
                             'why', p_why,
                             'previous_sha256', CASE p_side WHEN 'real' THEN v_pair.real_sha256
                                                ELSE v_pair.twin_sha256 END));
  RETURN v_version;
END $$""",
        # Who the real person is decides which consent an approval needs: a link is changed only
        # here (audited), and an approval that rested on the former person's consent is suspended.
    f"""CREATE FUNCTION twinproof_link_talent(p_pair integer, p_talent integer, p_expected_version integer,
    p_reviewer text) RETURNS jsonb LANGUAGE plpgsql VOLATILE {definer} AS $$
DECLARE v_pair pairs%ROWTYPE; v_name text; v_old text; d decisions%ROWTYPE; v_id integer;
  v_version integer; v_why text; v_suspended boolean := false;
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
  IF p_talent IS NOT NULL THEN
    SELECT name INTO v_name FROM talents WHERE id = p_talent;
    IF NOT FOUND THEN
      RAISE EXCEPTION USING ERRCODE = 'TP004', MESSAGE = 'no talent ' || p_talent || ' in the registry; add it first';
    END IF;
  END IF;
  UPDATE pairs SET talent_id = p_talent, version = version + 1 WHERE id = p_pair RETURNING version INTO v_version;
  INSERT INTO audit_events (at, reviewer, event, shoot_id, pair_id, summary, detail)
  VALUES ({now}, p_reviewer, 'talent', v_pair.shoot_id, v_pair.id,
          v_pair.name || ': talent ' || coalesce(v_name, 'unlinked'),
          jsonb_build_object('talent_id', p_talent, 'previous_talent_id', v_pair.talent_id));
  SELECT * INTO d FROM decisions WHERE pair_id = p_pair ORDER BY id DESC LIMIT 1;
  IF v_pair.talent_id IS DISTINCT FROM p_talent AND d.state IN ('approved', 'approved_with_changes') THEN
    SELECT name INTO v_old FROM talents WHERE id = v_pair.talent_id;
    v_why := format('the pair was relinked from %s to %s: the approval rested on %s''s consent',
                    coalesce(v_old, 'no talent'), coalesce(v_name, 'no talent'), coalesce(v_old, 'no one'));
    INSERT INTO decisions (pair_id, state, reasons, reason_text, verdict_at_decision, analysis_id,
                           reviewer, created_at, consent_id)
    VALUES (p_pair, 'suspended', '[]', v_why, d.verdict_at_decision, d.analysis_id, p_reviewer, {now},
            d.consent_id)
    RETURNING id INTO v_id;
    INSERT INTO audit_events (at, reviewer, event, shoot_id, pair_id, summary, detail)
    VALUES ({now}, p_reviewer, 'suspended', v_pair.shoot_id, v_pair.id,
            v_pair.name || ': ' || replace(d.state, '_', ' ') || ' suspended - ' || v_why,
            jsonb_build_object('decision_id', v_id, 'suspended_decision_id', d.id,
                               'consent_id', d.consent_id, 'talent_id', p_talent));
    v_suspended := true;
  END IF;
  RETURN jsonb_build_object('pair_version', v_version, 'suspended', v_suspended);
END $$""",
    f"""CREATE FUNCTION twinproof_break_pair(p_pair integer, p_expected_version integer, p_reviewer text)
    RETURNS integer LANGUAGE plpgsql VOLATILE {definer} AS $$
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
  UPDATE pairs SET broken_at = {now}, version = version + 1 WHERE id = p_pair RETURNING version INTO v_version;
  INSERT INTO audit_events (at, reviewer, event, shoot_id, pair_id, summary, detail)
  VALUES ({now}, p_reviewer, 'pair_broken', v_pair.shoot_id, v_pair.id, v_pair.name || ': unpaired', '{{}}');
  RETURN v_version;
END $$""",
    ]
