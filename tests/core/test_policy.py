"""The fidelity policy file: defaults, brand overrides, and clear errors for bad files."""

from __future__ import annotations

import pytest

from twinproof.core.errors import PolicyError
from twinproof.core.policy import load_policy


def test_defaults_have_name_version_and_every_threshold():
    p = load_policy()
    assert p.name and p.version
    for section, key in [("structure", "ssim_warn"), ("colour", "delta_e00_regional_warn"),
                         ("colour", "cast_fail"), ("registration", "min_confidence")]:
        assert isinstance(p.number(section, key), float)


def test_a_brand_tightens_a_subset(tmp_path):
    f = tmp_path / "brand.toml"
    f.write_text('[policy]\nname = "Brand X"\nversion = "3"\n[colour]\ncast_warn = 1.0\n')
    p = load_policy(f)
    assert (p.name, p.version) == ("Brand X", "3")
    assert p.number("colour", "cast_warn") == 1.0
    assert p.number("colour", "cast_fail") == load_policy().number("colour", "cast_fail")


@pytest.mark.parametrize(("text", "match"), [
    ("[colour]\ncast_wran = 1.0\n", "unknown setting \\[colour\\] cast_wran"),
    ("[colur]\ncast_warn = 1.0\n", "unknown section \\[colur\\]"),
    ("[colour]\ncast_warn = 'high'\n", "must be a float"),
    ("[colour]\ncast_warn = -1\n", "must not be negative"),
    ("[colour\ncast_warn = 1\n", "not valid TOML"),
    ("[colour]\ncast_warn = nan\n", "must be a float"),
    # A brand file written for an earlier policy: what replaced the setting, not "unknown setting".
    ("[identity]\nwarn_distance = 0.5\n", "warn_distance was retired .* 'cannot tell'"),
])
def test_bad_policy_files_say_what_is_wrong(tmp_path, text, match):
    f = tmp_path / "bad.toml"
    f.write_text(text)
    with pytest.raises(PolicyError, match=match):
        load_policy(f)


def test_missing_and_binary_policy_files(tmp_path):
    with pytest.raises(PolicyError, match="not found"):
        load_policy(tmp_path / "nope.toml")
    (tmp_path / "bin.toml").write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(PolicyError):
        load_policy(tmp_path / "bin.toml")
