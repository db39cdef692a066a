"""Bad options and unwritable outputs: one line, the documented exit code, nothing left behind."""

from __future__ import annotations

import errno
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from oilshock.cli import main


def run(*args):
    res = CliRunner().invoke(main, list(args))
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
    return res


def one_line_error(res) -> str:
    lines = [x for x in res.output.strip().splitlines() if x.startswith("Error")]
    assert len(lines) == 1, res.output
    return lines[0]


@pytest.mark.parametrize(
    "args",
    [
        ["estimate", "-s", "hormuz-partial", "--seed", "-1"],
        ["election", "-s", "hormuz-partial", "--seed", "-1"],
        ["backtest", "--seed", "-1"],
        ["chart", "path", "-s", "hormuz-partial", "--seed", "-1", "-o", "x.json"],
        ["brief", "-s", "hormuz-partial", "--seed", str(2**64), "-o", "x.html"],
        ["estimate", "-s", "hormuz-partial", "--as-of", "9999-12-31"],
        ["estimate", "-s", "hormuz-partial", "--as-of", "0001-01-01"],
        ["estimate", "-s", "hormuz-partial", "--election-date", "9999-12-31"],
        ["election", "-s", "hormuz-partial", "--as-of", "9999-12-31"],
        ["chart", "path", "-s", "hormuz-partial", "--as-of", "9999-12-31", "-o", "x.json"],
        ["brief", "-s", "hormuz-partial", "--as-of", "9999-12-31", "-o", "x.html"],
        ["scenarios", "show", "hormuz-partial", "--as-of", "9999-12-31"],
        ["scenarios", "show", "hormuz-partial", "--as-of", "2150-01-01"],
        ["estimate", "-s", "hormuz-partial", "--as-of", "2026-02-30"],
    ],
)
def test_bad_option_is_exit_2(args, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    res = run(*args)
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output
    assert list(tmp_path.iterdir()) == []


def test_scenarios_show_refuses_a_file_as_of_after_the_data(tmp_path):
    f = tmp_path / "late.toml"
    f.write_text(
        'as_of = 2150-01-01\n[[disruptions]]\nchokepoint = "hormuz"\nshare = 0.5\nduration_days = 30\n'
    )
    res = run("scenarios", "show", str(f))
    assert (
        res.exit_code == 2
        and "key 'as_of'" in one_line_error(res)
        and "after the newest data" in res.output
    )


@pytest.mark.parametrize(
    ("output", "needle"),
    [
        ("/proc/oilshock-x.json", "No such file or directory"),
        ("/sys/oilshock-x.json", "ermission denied"),
        ("{file}/x.json", "is not a directory"),
        ("{dir}", "is a directory"),
        ("{dir}/" + "a" * 300 + ".json", "File name too long"),
    ],
)
@pytest.mark.parametrize("command", ["chart", "brief", "dictionary"])
def test_unwritable_output_is_exit_2_before_any_work(tmp_path, output, needle, command):
    (tmp_path / "file").write_text("keep")
    out = output.format(file=tmp_path / "file", dir=tmp_path)
    if command == "brief":
        out = out.replace(".json", ".html")
    if command == "dictionary":
        out = out.replace(".json", ".md")
    args = {
        "chart": ["chart", "path", "-s", "hormuz-partial", "-o", out],
        "brief": ["brief", "-s", "hormuz-partial", "-o", out],
        "dictionary": ["data", "dictionary", "-o", out],
    }[command]
    res = run(*args)
    assert res.exit_code == 2, res.output
    if (
        out != str(tmp_path) or command == "dictionary"
    ):  # click itself refuses a directory for chart/brief
        assert needle in one_line_error(res)
    assert (
        sorted(p.name for p in tmp_path.iterdir()) == ["file"]
        and (tmp_path / "file").read_text() == "keep"
    )


def test_dictionary_writes_atomically(tmp_path):
    out = tmp_path / "dict.md"
    res = run("data", "dictionary", "-o", str(out))
    assert res.exit_code == 0 and out.read_text().startswith("#")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dict.md"]


# --------------------------------------------------------------------------- recompute


@pytest.fixture()
def data_link(tmp_path):
    """The packaged snapshot through a link in tmp_path, so the lock file lands there."""
    from oilshock.data.location import data_dir

    link = tmp_path / "data"
    link.symlink_to(Path(data_dir()).resolve(), target_is_directory=True)
    return link


@pytest.mark.parametrize("command", ["recompute"])
def test_recompute_refuses_a_missing_scenario_folder(tmp_path, data_link, command, monkeypatch):
    out = tmp_path / "results"
    res = run(
        command, "--data-dir", str(data_link), "--out", str(out), "--scenarios-dir", "/nonexistent"
    )
    assert res.exit_code == 2 and "/nonexistent: scenario folder not found" in one_line_error(res)
    monkeypatch.setenv("OILSHOCK_SCENARIOS_DIR", "/nonexistent")
    res = run(command, "--data-dir", str(data_link), "--out", str(out))
    assert res.exit_code == 2 and "/nonexistent: scenario folder not found" in one_line_error(res)
    assert not out.exists() or not any(out.iterdir())


def test_recompute_refuses_a_hostile_scenario_file_before_any_work(tmp_path, data_link):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "nul.toml").write_text(
        'title = "a\\u0000b"\n[[disruptions]]\nlost_mbd = 1\nduration_days = 5\n'
    )
    out = tmp_path / "results"
    res = run(
        "recompute", "--data-dir", str(data_link), "--out", str(out), "--scenarios-dir", str(mine)
    )
    # exit 1 like any failing scenario in a recompute (README, "Scheduled updates"): nothing published
    assert (
        res.exit_code == 1
        and "key 'title': contains the control character U+0000" in one_line_error(res)
    )
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize("out", ["/proc/oilshock-results", "{file}/sub", "/sys/oilshock-results"])
def test_recompute_refuses_an_unwritable_results_folder_before_any_work(tmp_path, data_link, out):
    (tmp_path / "file").write_text("keep")
    res = run(
        "recompute", "--data-dir", str(data_link), "--out", out.format(file=tmp_path / "file")
    )
    assert res.exit_code == 2 and "cannot write results here" in one_line_error(res)


def test_recompute_disk_full_publishes_nothing(tmp_path, data_link, monkeypatch):
    real = Path.write_text

    def full(self, *a, **k):
        if self.name == "estimate.csv":
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, *a, **k)

    monkeypatch.setattr(Path, "write_text", full)
    out = tmp_path / "results"
    res = run("recompute", "--data-dir", str(data_link), "--out", str(out), "--draws", "100")
    assert (
        res.exit_code == 1
        and "No space left on device" in one_line_error(res)
        and "nothing was published" in one_line_error(res)
    )
    assert list(out.iterdir()) == []


@pytest.mark.slow
def test_recompute_publishes_a_brief_with_hostile_titles_escaped(tmp_path, data_link):
    mine = tmp_path / "mine"
    mine.mkdir()
    title = "</script><script>alert(1)</script><img src=x onerror=alert(2)>"
    (mine / "evil.toml").write_text(
        f'title = "{title}"\n[[disruptions]]\nchokepoint = "hormuz"\nshare = 0.3\nduration_days = 20\n'
    )
    out = tmp_path / "results"
    res = run(
        "recompute",
        "--data-dir",
        str(data_link),
        "--out",
        str(out),
        "--scenarios-dir",
        str(mine),
        "--draws",
        "100",
    )
    assert res.exit_code == 0, res.output
    page = (out / "latest" / "brief.html").read_text()
    assert (
        "</script><script>alert" not in page
        and "<img src=x" not in page
        and "&lt;img src=x" in page
    )
    assert re.search(r'id="chart-[0-9]+-path-evil"', page)
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == []


def test_stale_temporaries_of_killed_runs_are_removed(tmp_path):
    from oilshock.schedule.recompute import remove_stale_temporaries

    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    alive = str(os.getppid())
    names = {
        f".2026-11-26.tmp-{dead}-abc": True,  # its process is gone
        f".2026-11-26.tmp-{alive}-abc": False,  # its process still runs
        ".2026-11-26.tmp-legacy": False,  # no pid, recent: kept
        ".2026-10-01.tmp-legacy": True,  # no pid, old: removed
        f".2026-11-26.old-{dead}": True,
        "2026-11-26": False,  # a published run
    }
    for n in names:
        (tmp_path / n).mkdir()
        (tmp_path / n / "estimate.json").write_text("{}")
    os.utime(tmp_path / ".2026-10-01.tmp-legacy", (0, 0))
    (tmp_path / f".latest.link-{dead}").symlink_to("2026-11-26")
    removed = {p.name for p in remove_stale_temporaries(tmp_path)}
    assert removed == {n for n, gone in names.items() if gone} | {f".latest.link-{dead}"}
    assert (tmp_path / "2026-11-26" / "estimate.json").is_file()


@pytest.mark.parametrize(
    "args",
    [["estimate", "-s", "x\ny"], ["chart", "transits", "-c", "a\nb\x1b[31m", "-o", "t.json"]],
)
def test_an_unknown_name_is_echoed_on_one_line(args, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    res = run(*args)
    assert res.exit_code == 2 and "\\n" in one_line_error(res) and "\x1b" not in res.output


def test_dictionary_to_a_pipe_is_written_through(tmp_path):
    import threading

    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text()))
    reader.start()
    res = run("data", "dictionary", "-o", str(fifo))
    reader.join(10)
    assert res.exit_code == 0 and got and got[0].startswith("#")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe.md"]  # no temporary beside it
