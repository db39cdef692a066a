"""The parameter cache is keyed by the data and by the fitting code itself (issue #16 item 3)."""

import datetime as dt

from oilshock.forecast import params


def test_cache_key_digests_every_fit_module():
    versions = params.fit_versions()
    assert {
        "forecast/params.py",
        "data/datasets.py",
        "data/files.py",
        "data/manifest.py",
        "periods.py",
        "model/crude.py",
        "model/pump.py",
    } <= set(versions)
    assert "model/instrument_vintages.toml" in versions  # a file a fit reads is fit code too
    key = params.cache_path("ab" * 32, dt.date(2026, 2, 27)).name
    assert key.endswith(f"-f{params.fit_code_version()}.json") and "2026-02-27" in key


def test_a_changed_fit_module_changes_the_key(tmp_path, monkeypatch):
    # A copy of the fit code, then one byte of one link changed: the key must change with it.
    for rel in params.fit_versions():
        dst = tmp_path / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        dst.write_bytes((params._PACKAGE / rel).read_bytes())
    monkeypatch.setattr(params, "_PACKAGE", tmp_path)
    params.fit_versions.cache_clear()
    try:
        before = params.fit_code_version()
        pump = tmp_path / "model" / "pump.py"
        pump.write_bytes(pump.read_bytes() + b"\n# changed\n")
        params.fit_versions.cache_clear()
        assert params.fit_code_version() != before
    finally:
        params.fit_versions.cache_clear()


def test_fitted_parameters_record_the_versions(params_2026):
    assert params_2026["fit_versions"] == params.fit_versions()
    assert params_2026["fit_version"] == params.fit_code_version()


def test_fitted_parameters_are_a_declared_container(params_2026):
    import dataclasses
    import json

    import pytest

    assert isinstance(params_2026, params.FittedParams)
    fields = {f.name for f in dataclasses.fields(params.FittedParams)}
    # Every key is a declared field; the variant key is absent until a caller sets it.
    assert set(params_2026) == fields - {"crude_model"}
    assert params_2026.get("crude_model", "default") == "default"
    # The cache's JSON reads back to the same parameters ...
    again = params.FittedParams.from_dict(json.loads(json.dumps(params_2026.to_dict())))
    assert again.to_dict() == json.loads(json.dumps(params_2026.to_dict()))
    # ... and a key the code does not declare is refused, not carried silently.
    with pytest.raises(TypeError):
        params.FittedParams.from_dict({**params_2026.to_dict(), "new_link": {}})
