"""oilshock.report.output: all-or-nothing writes and HTML-safe inline JSON."""

from __future__ import annotations

import errno
import json
import os

import pytest

from oilshock.report.output import OutputError, script_json, write_atomic


@pytest.mark.parametrize("fails_at", ["write", "fsync", "replace"])
def test_a_failed_write_leaves_no_partial_file_and_keeps_the_old_one(
    tmp_path, monkeypatch, fails_at
):
    target = tmp_path / "out.html"
    target.write_text("old")

    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    if fails_at == "write":  # half the bytes reach the disk, then it is full
        real = os.fdopen

        class Half:
            def __init__(self, f):
                self.f = f

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.f.close()

            def write(self, b):
                self.f.write(b[: len(b) // 2])
                full()

        monkeypatch.setattr(os, "fdopen", lambda fd, mode: Half(real(fd, mode)))
    else:
        monkeypatch.setattr(os, fails_at, full)
    with pytest.raises(OutputError, match="No space left on device") as err:
        write_atomic(target, "new" * 1000)
    assert err.value.exit_code == 1  # the path was fine; the write failed
    monkeypatch.undo()
    assert (
        sorted(p.name for p in tmp_path.iterdir()) == ["out.html"] and target.read_text() == "old"
    )


def test_write_atomic_creates_folders_and_keeps_the_umask(tmp_path):
    p = write_atomic(tmp_path / "a" / "b" / "c.txt", "x")
    assert p.read_text() == "x" and (p.stat().st_mode & 0o777) == 0o666 & ~_umask()


def _umask() -> int:
    m = os.umask(0o022)
    os.umask(m)
    return m


def test_script_json_cannot_end_or_change_a_script_element():
    obj = {"t": "</script><script>x</script><!--<script> & \u2028\u2029 é", "n": ['"><img src=x>']}
    text = script_json(obj)
    assert not any(c in text for c in "<>&\u2028\u2029é")
    assert json.loads(text) == obj
    with pytest.raises(ValueError):
        script_json({"x": float("nan")})
