"""The parameter cache is keyed by the data and by the fitting code itself (issue #16 item 3)."""

import datetime as dt

from oilshock import params


def test_cache_key_digests_every_fit_module():
    versions = params.fit_versions()
    assert {"params.py", "datasets.py", "periods.py", "model/crude.py", "model/pump.py"} <= set(
        versions
    )
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
