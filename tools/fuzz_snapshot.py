"""Damaged-snapshot fuzz: every damaged copy of the snapshot must be refused with one line, never a traceback.

Usage (from the repository root, in the environment where oilshock is installed)::

    python tools/fuzz_snapshot.py                   # the named cases + 200 random ones (about a minute)
    python tools/fuzz_snapshot.py --random 500 --seed 7 --json results.json
    python tools/fuzz_snapshot.py --no-named --random 0 --urls 100   # credentials in URLs only
    python tools/fuzz_snapshot.py --no-named --random 0 --values 40  # raw files with values lost

Each case copies the packaged snapshot (``data/``), damages the copy — a
named case (:data:`NAMED`) or a random one (:func:`random_damage`: byte
flips, truncations, appended or zeroed bytes, deleted files, edited manifest
fields) — and runs the commands that read the whole snapshot
(:data:`COMMANDS`: ``data validate``, ``estimate``, ``election``,
``scenarios show``) in-process with click's runner, with a *warm* parameter
cache fitted on the intact snapshot (the case that used to go unnoticed).

A case is *damaged* when a data file's bytes differ from the original or the
manifest no longer parses to the same JSON (a change of whitespace alone is
not damage). Outcomes counted:

* ``traceback``: an exception escaped the CLI (must be 0);
* ``wrong_success``: a command exited 0 on a damaged snapshot (must be 0);
* ``wrong_failure``: a command failed on an undamaged one (must be 0; the
  :data:`BENIGN` controls are such cases);
* ``not_one_line``: a refusal printed anything but one ``Error:`` line, or
  exited with a code other than 1 (must be 0).

``--urls N`` adds N live refreshes against a closed port on 127.0.0.1 whose source URL
(``OILSHOCK_EIA_API_URL``, ``OILSHOCK_FRED_URL`` or ``OILSHOCK_PORTWATCH_URL``) carries a
random user and password (percent-encoded, partly or twice) with ``EIA_API_KEY`` set: no
form of a secret may be printed (``leaked``), and the refusal is one line, exit 1.

``--values N`` adds N refreshes from a damaged copy of the raw files (``--raw``, default
``../shared/data/raw``) into a copy of a snapshot built from the intact ones: one CSV file
has a block of one column's values blanked, rows dropped from its middle, its second half
cut, its last row cut, or only its header kept. Either the refresh refuses in one line,
exit 1, with the data directory byte-identical, or it succeeds and no dataset lost a row
or a value (``lost``: a success that lost values, must be 0).

The exit status is 0 only when all four are 0 (and, with ``--urls``, no leak; with
``--values``, nothing lost). ``tests/data/test_snapshot_integrity.py``
runs the named cases and a small random sample of this in the test suite.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import shutil
import string
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
COMMANDS = (
    ("data", "validate"),
    ("estimate", "--scenario", "hormuz-partial", "--draws", "200"),
    ("election", "--scenario", "hormuz-partial", "--draws", "200"),
    ("scenarios", "show", "hormuz-partial"),
)
BRENT = "brent_daily.parquet"
MANIFEST = "manifest.json"

Damage = Callable[[Path, random.Random], None]


# ---------------------------------------------------------------- edits


def _edit_manifest(fn: Callable[[dict], object]) -> Damage:
    def damage(d: Path, rng: random.Random) -> None:
        m = json.loads((d / MANIFEST).read_text())
        out = fn(m)
        (d / MANIFEST).write_text(
            json.dumps(m if out is None else out, indent=2, sort_keys=True) + "\n"
        )

    return damage


def _set(dataset: str, key: str, value) -> Damage:
    def fn(m):
        m["datasets"][dataset][key] = value

    return _edit_manifest(fn)


def _write(rel: str, data: bytes) -> Damage:
    def damage(d: Path, rng: random.Random) -> None:
        (d / rel).write_bytes(data)

    return damage


def _truncate(rel: str, fraction: float) -> Damage:
    def damage(d: Path, rng: random.Random) -> None:
        p = d / rel
        p.write_bytes(p.read_bytes()[: int(p.stat().st_size * fraction)])

    return damage


def _flip(rel: str) -> Damage:
    def damage(d: Path, rng: random.Random) -> None:
        p = d / rel
        b = bytearray(p.read_bytes())
        b[len(b) // 2] ^= 0x01
        p.write_bytes(bytes(b))

    return damage


def _delete(rel: str) -> Damage:
    def damage(d: Path, rng: random.Random) -> None:
        p = d / rel
        shutil.rmtree(p) if p.is_dir() else p.unlink()

    return damage


def _copy(src: str, dst: str) -> Damage:
    def damage(d: Path, rng: random.Random) -> None:
        shutil.copyfile(d / src, d / dst)

    return damage


def _rewrite_brent_value(d: Path, rng: random.Random) -> None:
    import polars as pl

    p = d / BRENT
    f = pl.read_parquet(p)
    f.with_columns(
        pl.when(pl.int_range(pl.len()) == f.height - 1)
        .then(pl.col("brent_usd_per_bbl") * 2)
        .otherwise(pl.col("brent_usd_per_bbl"))
    ).write_parquet(p)


def _csv_header_only(rel: str) -> Damage:
    def damage(d: Path, rng: random.Random) -> None:
        p = d / rel
        p.write_text(p.read_text().splitlines()[0] + "\n")

    return damage


def _csv_edit(rel: str) -> Damage:
    def damage(d: Path, rng: random.Random) -> None:
        p = d / rel
        lines = p.read_text().splitlines()
        lines[1] = lines[1].replace("1", "7", 1) if "1" in lines[1] else lines[1] + "7"
        p.write_text("\n".join(lines) + "\n")

    return damage


def _consistent_forgery(m: dict) -> None:
    """``last`` moved to 2099 and manifest_sha256 recomputed: caught by the figures check on the cold fit."""
    from oilshock.data.manifest import manifest_sha256

    m["datasets"]["brent_daily"]["last"] = "2099-01-01"
    m["manifest_sha256"] = manifest_sha256(m)


def _drop_entry(m: dict) -> None:
    del m["datasets"]["brent_daily"]


def _legacy(m: dict) -> None:
    del m["manifest_sha256"]


NAMED: dict[str, Damage] = {
    "parquet deleted": _delete(BRENT),
    "parquet truncated to half": _truncate(BRENT, 0.5),
    "parquet truncated to 0 bytes": _truncate(BRENT, 0.0),
    "parquet one byte flipped": _flip(BRENT),
    "parquet with bytes appended": lambda d, r: (d / BRENT).write_bytes(
        (d / BRENT).read_bytes() + b"\x00garbage"
    ),
    "parquet replaced by another dataset's": _copy("wti_daily.parquet", BRENT),
    "parquet rewritten with one value changed": _rewrite_brent_value,
    "another parquet deleted (retail weekly)": _delete("retail_gasoline_weekly.parquet"),
    "reference CSV header only": _csv_header_only("reference/chokepoints.csv"),
    "reference CSV value edited": _csv_edit("reference/bypass_routes.csv"),
    "reference folder deleted": _delete("reference"),
    "manifest deleted": _delete(MANIFEST),
    "manifest {}": _write(MANIFEST, b"{}"),
    "manifest []": _write(MANIFEST, b"[]"),
    "manifest binary": _write(MANIFEST, bytes(range(256))),
    "manifest truncated JSON": _truncate(MANIFEST, 0.5),
    "manifest nested 100000 deep": _write(MANIFEST, b"[" * 100_000 + b"]" * 100_000),
    "manifest last = 2099-01-01": _set("brent_daily", "last", "2099-01-01"),
    "manifest last not a date": _set("brent_daily", "last", "yesterday"),
    "manifest last 2026-02-30": _set("brent_daily", "last", "2026-02-30"),
    "manifest rows + 1": _set("brent_daily", "rows", 9959),
    "manifest rows as a string": _set("brent_daily", "rows", "9958"),
    "manifest first changed": _set("brent_daily", "first", "1990-01-02"),
    "manifest sha256 of another file": _edit_manifest(
        lambda m: m["datasets"]["brent_daily"].update(sha256=m["datasets"]["wti_daily"]["sha256"])
    ),
    "manifest snapshot_sha256 changed": _edit_manifest(
        lambda m: m.update(snapshot_sha256="0" * 64)
    ),
    "manifest entry removed": _edit_manifest(_drop_entry),
    "manifest file path outside": _set("brent_daily", "file", "../elsewhere/brent_daily.parquet"),
    "manifest without manifest_sha256": _edit_manifest(_legacy),
    "manifest edited and re-hashed (last = 2099)": _edit_manifest(_consistent_forgery),
}
# Controls: changes that are not damage, which every command must accept.
BENIGN: dict[str, Damage] = {
    "manifest re-indented (not damage)": lambda d, r: (d / MANIFEST).write_text(
        json.dumps(json.loads((d / MANIFEST).read_text()))
    ),
    "stray file beside the snapshot (not damage)": lambda d, r: (d / "notes.txt").write_text(
        "mine\n"
    ),
}


# ---------------------------------------------------------------- random


def random_damage(rng: random.Random, files: list[str]) -> tuple[str, Damage]:
    """One random damage: a byte-level change to a random file, or an edit of a random manifest field."""
    op = rng.choice(
        ["flip", "flips", "truncate", "append", "zero", "delete", "field", "field", "field"]
    )
    if op == "field":
        return _random_field(rng)
    rel = rng.choice(files)

    def damage(d: Path, r: random.Random) -> None:
        p = d / rel
        b = bytearray(p.read_bytes())
        if op == "delete" or not b:
            p.unlink()
            return
        if op == "flip":
            i = r.randrange(len(b))
            b[i] ^= 1 << r.randrange(8)
        elif op == "flips":
            for _ in range(r.randint(2, 50)):
                b[r.randrange(len(b))] = r.randrange(256)
        elif op == "truncate":
            del b[r.randrange(len(b)) :]
        elif op == "append":
            b += bytes(r.randrange(256) for _ in range(r.randint(1, 64)))
        elif op == "zero":
            i = r.randrange(len(b))
            b[i : i + r.randint(1, 4096)] = bytes(len(b[i : i + r.randint(1, 4096)]))
        p.write_bytes(bytes(b))

    return f"{op} {rel}", damage


def _random_field(rng: random.Random) -> tuple[str, Damage]:
    key = rng.choice(
        [
            "rows",
            "first",
            "last",
            "sha256",
            "file",
            "snapshot_sha256",
            "manifest_sha256",
            "datasets",
        ]
    )
    values = [
        None,
        0,
        -1,
        2**63,
        1.5,
        True,
        "",
        "2099-01-01",
        "1900-01-01",
        "9999-12-31",
        "not a date",
        "0" * 64,
        "f" * 63,
        [],
        {},
        "x" * 10_000,
        "../../etc/passwd",
        "\u0000",
    ]
    value = rng.choice(values)
    dataset = rng.choice(
        [
            "brent_daily",
            "retail_gasoline_weekly",
            "chokepoints",
            "cpi_monthly",
            "world_oil_supply_monthly",
        ]
    )

    def damage(d: Path, r: random.Random) -> None:
        m = json.loads((d / MANIFEST).read_text())
        if key in ("snapshot_sha256", "manifest_sha256", "datasets"):
            m[key] = value
        else:
            entry = m["datasets"][dataset]
            if key == "rows" and isinstance(entry.get("rows"), int) and r.random() < 0.5:
                entry["rows"] += r.choice([-1, 1])
            else:
                entry[key] = value
        (d / MANIFEST).write_text(json.dumps(m, indent=r.choice([None, 2])))

    return f"manifest {key} = {value!r:.40}" + (
        "" if key in ("snapshot_sha256", "manifest_sha256", "datasets") else f" ({dataset})"
    ), damage


# ---------------------------------------------------------------- running


def _state(d: Path) -> dict:
    """What a case changes: every data file's bytes and the manifest's parsed content."""
    out = {}
    for p in sorted(d.rglob("*")):
        if p.is_file():
            rel = str(p.relative_to(d))
            if rel == MANIFEST:
                try:
                    out[rel] = json.loads(p.read_bytes())
                except (ValueError, RecursionError):
                    out[rel] = ("unparseable", p.read_bytes())
            else:
                out[rel] = p.read_bytes()
    return out


def warm_cache(src: Path, work: Path) -> None:
    """Fit the parameters once on an intact copy, so every case runs with a warm cache."""
    res = _invoke(
        work / "warm", src, ("estimate", "--scenario", "hormuz-partial", "--draws", "200")
    )
    if res["exit"] != 0:
        raise SystemExit(f"the intact snapshot does not estimate: {res['output']}")


def _invoke(d: Path, src: Path, args) -> dict:
    from click.testing import CliRunner

    from oilshock.cli import main

    if not d.exists():
        shutil.copytree(src, d)
    res = CliRunner().invoke(main, list(args), env={"OILSHOCK_DATA_DIR": str(d)})
    tb = res.exception is not None and not isinstance(res.exception, SystemExit)
    return {
        "exit": res.exit_code,
        "output": res.output,
        "traceback": tb,
        "exception": repr(res.exception) if tb else None,
    }


def run_case(
    name: str, damage: Damage, src: Path, work: Path, rng: random.Random, original: dict
) -> dict:
    """Damage a fresh copy of ``src`` and run every command on it; returns the case's outcome."""
    d = work / f"case-{abs(hash(name)) % 10**8}-{rng.randrange(10**6)}"
    shutil.copytree(src, d)
    damage(d, rng)
    after = _state(d)
    # Files the snapshot does not list (a stray file beside them) are not damage.
    damaged = {k: after.get(k) for k in original} != original
    out = {"case": name, "damaged": damaged, "commands": []}
    for args in COMMANDS:
        r = _invoke(d, src, args)
        lines = [ln for ln in r["output"].splitlines() if ln.strip()]
        r["wrong_success"] = damaged and r["exit"] == 0
        r["wrong_failure"] = not damaged and r["exit"] != 0
        r["not_one_line"] = (
            damaged
            and r["exit"] != 0
            and not r["traceback"]
            and (r["exit"] != 1 or len(lines) != 1 or not lines[0].startswith("Error: "))
        )
        r["command"] = " ".join(args[:2])
        r["output"] = r["output"][-300:]
        out["commands"].append(r)
    shutil.rmtree(d, ignore_errors=True)
    return out


def summarise(results: list[dict]) -> dict:
    cmds = [c for r in results for c in r["commands"]]
    return {
        "cases": len(results),
        "damaged_cases": sum(r["damaged"] for r in results),
        "command_runs": len(cmds),
        "traceback": sum(c["traceback"] for c in cmds),
        "wrong_success": sum(c["wrong_success"] for c in cmds),
        "wrong_failure": sum(c["wrong_failure"] for c in cmds),
        "not_one_line": sum(c["not_one_line"] for c in cmds),
    }


# --------------------------------------------------------------------------- credentials

URL_VARS = {
    "OILSHOCK_EIA_API_URL": ("brent_daily", "/v2"),
    "OILSHOCK_FRED_URL": ("cpi_monthly", "/graph/fredgraph.csv"),
    "OILSHOCK_PORTWATCH_URL": ("chokepoint_transits_daily", "/query"),
}
SECRET_CHARS = string.ascii_letters + string.digits + "-._~!$&'()*+,;=:@%/?#[] "


def _secret(rng: random.Random) -> str:
    return "".join(rng.choice(SECRET_CHARS) for _ in range(rng.randint(6, 24)))


def credential_case(rng: random.Random, work: Path, i: int) -> dict:
    """A live refresh against a closed port on 127.0.0.1, its URL carrying a user and password
    (raw, percent-encoded or half-encoded) and an API key in the environment: no form of any
    secret may reach the output, and the refusal is one line, exit 1."""
    import base64
    import html
    from urllib.parse import quote

    from click.testing import CliRunner

    from oilshock.cli import main as cli

    var = rng.choice(sorted(URL_VARS))
    dataset, path = URL_VARS[var]
    user, password, key = (
        "u" + _secret(rng).replace(":", "").replace("@", ""),
        "pw" + _secret(rng),
        "K" + "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(31)),
    )
    encode = rng.choice(["quote", "quote-all", "double"])
    enc = {
        "quote": lambda t: quote(t, safe=""),
        "quote-all": lambda t: quote(t, safe="!$&'()*+,;="),
        "double": lambda t: quote(quote(t, safe=""), safe=""),
    }[encode]
    url = f"http://{enc(user)}:{enc(password)}@127.0.0.1:9{path}"
    env = {
        var: url,
        "EIA_API_KEY": key,
        "OILSHOCK_HTTP_RETRIES": "0",
        # The other sources point at the same dead port, without credentials.
        **{v: f"http://127.0.0.1:9{p}" for v, (_, p) in URL_VARS.items() if v != var},
    }
    res = CliRunner().invoke(
        cli,
        ["refresh", "--dataset", dataset, "--data-dir", str(work / f"cred-{i}")],
        env=env,
        catch_exceptions=True,
    )
    out = res.output
    forms = {
        "password": password,
        "password encoded": enc(password),
        "password quoted": quote(password, safe=""),
        "key": key,
        "key base64": base64.b64encode(key.encode()).decode(),
        "key as HTML entities": html.escape(key),
    }
    if len(user) >= 6:
        forms["user encoded"] = enc(user)
    leaked = sorted(k for k, v in forms.items() if v and v in out)
    lines = [ln for ln in out.splitlines() if ln.strip()]
    return {
        "var": var,
        "encoding": encode,
        "exit": res.exit_code,
        "traceback": res.exception is not None and not isinstance(res.exception, SystemExit),
        "leaked": leaked,
        "not_one_line": res.exit_code != 1 or len(lines) != 1 or not lines[0].startswith("Error"),
        "output": out[-300:],
    }


# --------------------------------------------------------------------------- values

VALUE_DAMAGE = ("blank", "drop_middle", "halve", "last_short", "header_only")


def damage_csv(text: str, kind: str, rng: random.Random) -> str:
    """One CSV file's values damaged by ``kind`` (:data:`VALUE_DAMAGE`); quoting kept."""
    import csv
    import io

    rows = list(csv.reader(io.StringIO(text)))
    head, body = rows[:1], rows[1:]
    if kind == "header_only" or not body:
        body = []
    elif kind == "halve":
        body = body[: len(body) // 2]
    elif kind == "last_short":
        body = body[:-1]
    elif kind == "drop_middle":
        k = rng.randint(3, max(3, len(body) // 20))
        at = rng.randrange(1, max(2, len(body) - k))
        body = body[:at] + body[at + k :]
    else:  # blank: a contiguous block of one column
        col = rng.randrange(len(head[0])) if head and head[0] else 0
        k = rng.randint(1, max(1, len(body) * 2 // 5))
        at = rng.randrange(0, max(1, len(body) - k + 1))
        for r in body[at : at + k]:
            if col < len(r):
                r[col] = ""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(head + body)
    return out.getvalue()


def _lost_values(before: Path, after: Path) -> list[str]:
    """Datasets of ``after`` with fewer rows, or fewer values in a column, than in ``before``."""
    from oilshock.data.contracts import load_contracts
    from oilshock.data.datasets import load_dataset

    lost = []
    for name in load_contracts():
        old, new = load_dataset(name, directory=before), load_dataset(name, directory=after)
        if new.height < old.height:
            lost.append(f"{name}: {old.height - new.height} row(s)")
            continue
        for c in old.columns:
            gone = (old.height - old[c].null_count()) - (new.height - new[c].null_count())
            if c in new.columns and gone > 0:
                lost.append(f"{name}.{c}: {gone} value(s)")
    return lost


def value_case(rng: random.Random, raw: Path, built: Path, work: Path, i: int) -> dict:
    """Refresh from raw files with one CSV's values damaged: refused in one line with the data
    unchanged, or accepted with nothing lost."""
    from click.testing import CliRunner

    from oilshock.cli import main as cli

    files = sorted(str(p.relative_to(raw)) for p in raw.rglob("*.csv"))
    rel, kind = rng.choice(files), rng.choice(VALUE_DAMAGE)
    r, d = work / f"raw-{i}", work / f"built-{i}"
    shutil.copytree(raw, r)
    shutil.copytree(built, d, symlinks=True)
    target = r / rel
    target.write_text(damage_csv(target.read_text(encoding="utf-8", errors="replace"), kind, rng))
    before = _tree(d)
    res = CliRunner().invoke(cli, ["refresh", "--from", str(r), "--data-dir", str(d)])
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    tb = res.exception is not None and not isinstance(res.exception, SystemExit)
    out = {"file": rel, "damage": kind, "exit": res.exit_code, "traceback": tb}
    if res.exit_code == 0:
        out["lost"] = _lost_values(built, d)
    else:
        out["lost"] = []
        out["not_one_line"] = tb or res.exit_code != 1 or len(lines) != 1
        out["changed"] = _tree(d) != before
    out["output"] = res.output[-300:]
    shutil.rmtree(r, ignore_errors=True)
    shutil.rmtree(d, ignore_errors=True)
    return out


def _tree(d: Path) -> dict:
    """Every path under ``d`` with its bytes (or link target)."""
    return {
        str(p.relative_to(d)): (os.readlink(p) if p.is_symlink() else p.read_bytes())
        for p in sorted(d.rglob("*"))
        if p.is_symlink() or p.is_file()
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--random", type=int, default=200, help="random damaged cases (default 200)")
    ap.add_argument("--seed", type=int, default=20261128)
    ap.add_argument("--json", type=Path, default=None, help="write every case's outcome here")
    ap.add_argument("--no-named", action="store_true", help="skip the named cases")
    ap.add_argument(
        "--urls",
        type=int,
        default=0,
        help="also N live refreshes whose source URL carries credentials (none may be printed)",
    )
    ap.add_argument(
        "--values",
        type=int,
        default=0,
        help="also N refreshes from raw files with one CSV's values damaged (none may lose values)",
    )
    ap.add_argument(
        "--raw",
        type=Path,
        default=REPO.parent / "shared" / "data" / "raw",
        help="the raw files --values damages copies of",
    )
    args = ap.parse_args(argv)

    from oilshock.data.location import packaged_data_dir

    rng = random.Random(args.seed)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="oilshock-fuzz-") as tmp:
        work = Path(tmp)
        os.environ["OILSHOCK_CACHE_DIR"] = str(work / "cache")
        src = work / "pristine"
        shutil.copytree(packaged_data_dir(), src, ignore=shutil.ignore_patterns("__pycache__"))
        original = _state(src)
        files = sorted(k for k in original)
        warm_cache(src, work)
        cases = [] if args.no_named else list(NAMED.items()) + list(BENIGN.items())
        cases += [random_damage(rng, files) for _ in range(args.random)]
        creds = [credential_case(rng, work, i) for i in range(args.urls)]
        values = []
        if args.values:
            from click.testing import CliRunner

            from oilshock.cli import main as cli

            built = work / "built"
            res = CliRunner().invoke(
                cli, ["refresh", "--from", str(args.raw), "--data-dir", str(built)]
            )
            if res.exit_code != 0:
                raise SystemExit(f"the intact raw files do not build: {res.output}")
            values = [value_case(rng, args.raw, built, work, i) for i in range(args.values)]
            for v in values:
                if v["lost"] or v["traceback"] or v.get("not_one_line") or v.get("changed"):
                    print(f"values: {v}", file=sys.stderr)
        results = []
        for i, (name, damage) in enumerate(cases):
            results.append(run_case(name, damage, src, work, rng, original))
            bad = [
                c
                for c in results[-1]["commands"]
                if c["traceback"] or c["wrong_success"] or c["wrong_failure"] or c["not_one_line"]
            ]
            if bad:
                print(
                    f"case {i} ({name}): "
                    f"{[(c['command'], c['exit'], c['exception'] or c['output'][-160:]) for c in bad]}",
                    file=sys.stderr,
                )
    summary = summarise(results) | {
        "seed": args.seed,
        "seconds": round(time.monotonic() - started, 1),
    }
    if args.urls:
        summary["credentials"] = {
            "cases": len(creds),
            "leaked": sum(bool(c["leaked"]) for c in creds),
            "leaked_forms": dict(collections.Counter(f for c in creds for f in c["leaked"])),
            "traceback": sum(c["traceback"] for c in creds),
            "not_one_line": sum(c["not_one_line"] for c in creds),
        }
        for c in creds:
            if c["leaked"] or c["traceback"] or c["not_one_line"]:
                print(f"credentials: {c}", file=sys.stderr)
    if args.values:
        summary["values"] = {
            "cases": len(values),
            "refused": sum(v["exit"] != 0 for v in values),
            "accepted_nothing_lost": sum(v["exit"] == 0 and not v["lost"] for v in values),
            "lost": sum(bool(v["lost"]) for v in values),
            "traceback": sum(v["traceback"] for v in values),
            "not_one_line": sum(bool(v.get("not_one_line")) for v in values),
            "changed_on_refusal": sum(bool(v.get("changed")) for v in values),
            "by_damage": dict(collections.Counter(v["damage"] for v in values)),
        }
    print(json.dumps(summary, indent=2))
    if args.json:
        args.json.write_text(
            json.dumps(
                {"summary": summary, "cases": results, "values": values}, indent=1, default=str
            )
        )
    cred = summary.get("credentials", {})
    return (
        0
        if not any(
            summary[k] for k in ("traceback", "wrong_success", "wrong_failure", "not_one_line")
        )
        and not any(cred.get(k) for k in ("leaked", "traceback", "not_one_line"))
        and not any(
            summary.get("values", {}).get(k)
            for k in ("lost", "traceback", "not_one_line", "changed_on_refusal")
        )
        else 1
    )


if __name__ == "__main__":
    sys.exit(main())
