"""A local stand-in for the live sources, on 127.0.0.1, speaking their real formats.

* ``/eia/v2/<route>``: EIA API v2 ``/data`` JSON, paged by ``offset``/``length``
  with ``response.total`` as a string, rows shaped like the recorded responses
  in ``tests/fixtures/eia_api`` (every field of a real row, copied from them).
* ``/fred/fredgraph.csv``: the FRED graph CSV (``observation_date,<ID>``, ``.``
  for missing), honouring ``cosd``.
* ``/arcgis/query``: the PortWatch ArcGIS ``query`` JSON of
  ``tests/fixtures/portwatch/arcgis_query_epoch_ms.json`` (its ``fields``
  block), paged by ``resultOffset`` with ``exceededTransferLimit``, honouring
  ``where portid IN (...)`` and a ``maxRecordCount`` cap.

The values served are real published data: those of the committed snapshot
(``data/``), re-served in the publishers' formats, so a live refresh against
this server must reproduce the committed datasets.

Faults are injected per path prefix with :meth:`Upstream.fault`.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

FIXTURES = Path(__file__).resolve().parent / "fixtures"

_EIA_TEMPLATES = {
    "RBRTE": ("rbrte_daily_v2.json", {}),
    "RWTC": ("rwtc_daily_v2_page.json", {}),
    "EMM_EPMR_PTE_NUS_DPG": ("emm_epmr_pte_nus_dpg_weekly_v2.json", {}),
    # All grades: the recorded regular-grade row with EIA's product code and names for all grades.
    "EMM_EPM0_PTE_NUS_DPG": (
        "emm_epmr_pte_nus_dpg_weekly_v2.json",
        {
            "product": "EPM0",
            "product-name": "Total Gasoline",
            "series-description": "U.S. All Grades All Formulations Retail Gasoline Prices (Dollars per Gallon)",
        },
    ),
}
_ROUTES = {
    "RBRTE": "petroleum/pri/spt/data/",
    "RWTC": "petroleum/pri/spt/data/",
    "EMM_EPMR_PTE_NUS_DPG": "petroleum/pri/gnd/data/",
    "EMM_EPM0_PTE_NUS_DPG": "petroleum/pri/gnd/data/",
}


def eia_rows(series: str, dates: list[dt.date], values: list[float | None]) -> list[dict]:
    """EIA v2 data rows for ``series`` in the recorded format; values as EIA sends them (strings, null)."""
    name, override = _EIA_TEMPLATES[series]
    template = json.loads((FIXTURES / "eia_api" / name).read_text())["response"]["data"][0]
    template = dict(template, **override, series=series)
    rows = []
    for d, v in zip(dates, values):
        r = dict(template)
        r["period"] = d.isoformat()
        r["value"] = None if v is None else repr(float(v))
        rows.append(r)
    return rows


class Upstream:
    """In-memory publishers plus a fault queue; start with :meth:`start`, stop with :meth:`stop`."""

    def __init__(self):
        self.eia: dict[str, list[dict]] = {}
        self.eia_frequency: dict[str, str] = {}
        self.fred: dict[str, list[tuple[dt.date, float | None]]] = {}
        self.arcgis: list[dict] = []
        self.max_record_count = 2000
        self.faults: list[dict] = []
        self.requests: list[str] = []
        self.api_key_seen: list[str] = []
        self._lock = threading.Lock()
        self._server = None

    # ---- data -----------------------------------------------------------------
    def add_eia(self, series: str, frequency: str, dates, values) -> None:
        self.eia[series] = eia_rows(series, list(dates), list(values))
        self.eia_frequency[series] = frequency

    def add_fred(self, series: str, dates, values) -> None:
        self.fred[series] = list(zip(dates, values))

    def add_arcgis(self, rows: list[dict]) -> None:
        self.arcgis = rows

    # ---- faults ---------------------------------------------------------------
    def fault(self, prefix: str, kind: str, times: int | None = None, **kw) -> None:
        """Inject a fault on requests whose path starts with ``prefix``.

        ``kind``: ``status`` (``code``, ``headers``, ``body``), ``sleep``
        (``seconds`` before answering normally), ``truncate`` (announce more
        bytes than sent, then close), ``body`` (``data`` instead of the real
        body), ``transform`` (``fn(bytes) -> bytes`` on the real body),
        ``drip`` (announce ``size`` bytes, then send one every ``interval``
        seconds until the client goes away or ``size`` are sent).
        ``times`` None: every request.
        """
        self.faults.append({"prefix": prefix, "kind": kind, "times": times, **kw})

    def _take_fault(self, path: str) -> dict | None:
        with self._lock:
            for f in self.faults:
                if path.startswith(f["prefix"]) and (f["times"] is None or f["times"] > 0):
                    if f["times"] is not None:
                        f["times"] -= 1
                    return f
        return None

    # ---- server ---------------------------------------------------------------
    def start(self) -> Upstream:
        upstream = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep test output clean
                pass

            def do_GET(self):
                try:
                    upstream._handle(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def env(self) -> dict[str, str]:
        return {
            "OILSHOCK_EIA_API_URL": f"{self.url}/eia/v2/",
            "OILSHOCK_FRED_URL": f"{self.url}/fred/fredgraph.csv",
            "OILSHOCK_PORTWATCH_URL": f"{self.url}/arcgis/query",
        }

    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        parsed = urlparse(h.path)
        query = parse_qs(parsed.query, keep_blank_values=True)
        with self._lock:
            self.requests.append(parsed.path)
        fault = self._take_fault(parsed.path)
        if fault and fault["kind"] == "status":
            return _send(h, fault["code"], fault.get("body", b""), fault.get("headers", {}))
        if fault and fault["kind"] == "sleep":
            time.sleep(fault["seconds"])
        if fault and fault["kind"] == "drip":
            h.send_response(200)
            h.send_header("Content-Type", "application/json")
            h.send_header("Content-Length", str(fault["size"]))
            h.end_headers()
            for _ in range(fault["size"]):  # bounded: at most size bytes
                h.wfile.write(b" ")
                h.wfile.flush()
                time.sleep(fault["interval"])
            return
        if parsed.path.startswith("/eia/v2/"):
            code, body, ctype = self._eia(parsed.path[len("/eia/v2/") :], query)
        elif parsed.path == "/fred/fredgraph.csv":
            code, body, ctype = self._fred(query)
        elif parsed.path == "/arcgis/query":
            code, body, ctype = self._arcgis(query)
        else:
            code, body, ctype = 404, b"not found", "text/plain"
        if fault and fault["kind"] == "body":
            body = fault["data"]
        if fault and fault["kind"] == "transform":
            body = fault["fn"](body)
        if fault and fault["kind"] == "truncate":
            h.send_response(code)
            h.send_header("Content-Type", ctype)
            h.send_header("Content-Length", str(len(body) + 1000))
            h.send_header("Connection", "close")
            h.end_headers()
            h.wfile.write(body[: len(body) // 2])
            h.wfile.flush()
            h.close_connection = True
            return
        _send(h, code, body, {"Content-Type": ctype})

    def _eia(self, route: str, q: dict):
        key = (q.get("api_key") or [""])[0]
        if not key:
            return (
                403,
                (FIXTURES / "eia_api" / "error_api_key_missing_v2.json").read_bytes(),
                "application/json",
            )
        self.api_key_seen.append(key)
        series = q.get("facets[series][]", [])
        frequency = q.get("frequency", [""])[0]
        rows = []
        for s in series:
            if s not in self.eia or _ROUTES[s] != route or self.eia_frequency[s] != frequency:
                continue
            rows += self.eia[s]
        rows.sort(key=lambda r: (r["period"], r["series"]))
        offset = int(q.get("offset", ["0"])[0])
        length = int(q.get("length", ["5000"])[0])
        doc = {
            "response": {
                "total": str(len(rows)),
                "dateFormat": "YYYY-MM-DD",
                "frequency": frequency,
                "data": rows[offset : offset + length],
                "description": "served by tests/live_server.py",
            },
            # EIA echoes the request; the key is echoed here too, so the tests see that it is redacted.
            "request": {
                "command": f"/v2/{route}",
                "params": {
                    "frequency": frequency,
                    "data": ["value"],
                    "facets": {"series": series},
                    "sort": [{"column": "period", "direction": "asc"}],
                    "offset": offset,
                    "length": length,
                    "api_key": key,
                },
            },
            "apiVersion": "2.1.12",
            "ExcelAddInVersion": "2.1.0",
        }
        return 200, json.dumps(doc).encode(), "application/json"

    def _fred(self, q: dict):
        sid = q.get("id", [""])[0]
        if sid not in self.fred:
            return 404, b"Series not found", "text/html"
        start = dt.date.fromisoformat(q["cosd"][0]) if "cosd" in q else dt.date.min
        lines = [f"observation_date,{sid}"]
        lines += [
            f"{d.isoformat()},{'.' if v is None else repr(float(v))}"
            for d, v in self.fred[sid]
            if d >= start
        ]
        return 200, ("\n".join(lines) + "\n").encode(), "text/csv"

    def _arcgis(self, q: dict):
        template = json.loads((FIXTURES / "portwatch" / "arcgis_query_epoch_ms.json").read_text())
        rows = self.arcgis
        where = q.get("where", ["1=1"])[0]
        if where.startswith("portid IN ("):
            wanted = {p.strip().strip("'") for p in where[len("portid IN (") : -1].split(",")}
            rows = [r for r in rows if r["portid"] in wanted]
        elif where != "1=1":
            return (
                200,
                json.dumps(
                    {
                        "error": {
                            "code": 400,
                            "message": "Unable to complete operation.",
                            "details": [where],
                        }
                    }
                ).encode(),
                "application/json",
            )
        offset = int(q.get("resultOffset", ["0"])[0])
        count = min(
            int(q.get("resultRecordCount", [str(self.max_record_count)])[0]), self.max_record_count
        )
        page = rows[offset : offset + count]
        doc = {
            k: copy.deepcopy(v)
            for k, v in template.items()
            if k not in ("features", "exceededTransferLimit")
        }
        doc["features"] = [{"attributes": r} for r in page]
        if offset + count < len(rows):
            doc["exceededTransferLimit"] = True
        return 200, json.dumps(doc).encode(), "application/json"


def _send(h, code: int, body: bytes, headers: dict) -> None:
    h.send_response(code)
    for k, v in headers.items():
        h.send_header(k, v)
    h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    h.wfile.write(body)


def from_snapshot(snapshot_dir: Path, tail: int | None = None) -> Upstream:
    """An :class:`Upstream` serving the live datasets of a snapshot (the last ``tail`` rows of each, or all)."""
    import polars as pl

    from oilshock.data.contracts import get_contract
    from oilshock.data.files import read_csv_strict

    def load(name):
        return pl.read_parquet(snapshot_dir / f"{name}.parquet")

    def cut(frame):
        return frame.tail(tail) if tail else frame

    up = Upstream()
    for name, series, col in (
        ("brent_daily", "RBRTE", "brent_usd_per_bbl"),
        ("wti_daily", "RWTC", "wti_usd_per_bbl"),
    ):
        f = cut(load(name))
        up.add_eia(series, "daily", f["date"].to_list(), f[col].to_list())
    retail = load("retail_gasoline_weekly")
    for sid in ("EMM_EPMR_PTE_NUS_DPG", "EMM_EPM0_PTE_NUS_DPG"):
        f = cut(retail.filter(pl.col("series_id") == sid))
        up.add_eia(sid, "weekly", f["date"].to_list(), f["retail_usd_per_gal"].to_list())
    cpi = cut(load("cpi_monthly").filter(pl.col("source_series") == "fred:CPIAUCSL"))
    up.add_fred("CPIAUCSL", cpi["date"].to_list(), cpi["cpi_index_1982_84"].to_list())
    table = read_csv_strict(
        snapshot_dir / "reference" / "chokepoints.csv", get_contract("chokepoints")
    )
    ids = {
        r["chokepoint"]: (r["portwatch_portid"], r["portwatch_portname"])
        for r in table.iter_rows(named=True)
        if r["portwatch_portid"]
    }
    transits = load("chokepoint_transits_daily")
    if tail:
        transits = transits.filter(
            pl.col("date") >= transits["date"].max() - dt.timedelta(days=tail)
        )
    rows = []
    for r in transits.iter_rows(named=True):
        portid, portname = ids[r["chokepoint"]]
        d = r["date"]
        rows.append(
            {
                "date": int(dt.datetime(d.year, d.month, d.day, tzinfo=dt.UTC).timestamp() * 1000),
                "year": d.year,
                "month": d.month,
                "day": d.day,
                "portid": portid,
                "portname": portname,
                "n_tanker": r["n_tanker"],
                "n_cargo": r["n_cargo"],
                "n_total": r["n_total"],
                "capacity_tanker": r["tanker_capacity_dwt_t"],
                "capacity": r["capacity_dwt_t"],
            }
        )
    rows.sort(key=lambda a: (a["date"], a["portid"]))
    up.add_arcgis(rows)
    return up
