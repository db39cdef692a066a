"""EIA Open Data API responses: v2 ``/data`` JSON and the legacy v1 ``series`` JSON.

Both parsers take the decoded JSON (or its bytes/text) of one response and
return ``(frame, meta)``; they never fetch. An API key never reaches the
returned ``meta``: v2 echoes the request parameters, so ``api_key`` is removed
from the echo before it is reported.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

from oilshock.errors import SourceError
from oilshock.sources import _parse
from oilshock.sources._parse import _read_file
from oilshock.text import strip_userinfo

# v2 period stamps per frequency; the polars format turns them into the first day of the period.
_V2_PERIODS = {
    "daily": (re.compile(r"^\d{4}-\d{2}-\d{2}$"), "%Y-%m-%d"),
    "weekly": (re.compile(r"^\d{4}-\d{2}-\d{2}$"), "%Y-%m-%d"),
    "monthly": (re.compile(r"^\d{4}-\d{2}$"), "%Y-%m"),
    "annual": (re.compile(r"^\d{4}$"), "%Y"),
}
# v1 ``f`` codes: the period stamps carry no separators.
_V1_PERIODS = {
    "D": (re.compile(r"^\d{8}$"), "%Y%m%d"),
    "W": (re.compile(r"^\d{8}$"), "%Y%m%d"),
    "M": (re.compile(r"^\d{6}$"), "%Y%m"),
    "A": (re.compile(r"^\d{4}$"), "%Y"),
}
_SECRET_PARAMS = ("api_key", "apikey", "api-key")


def _load_json(data: bytes | str | dict, source: str) -> Any:
    if not isinstance(data, (bytes, bytearray, str)):
        return data  # already decoded
    return _parse._load_json(data, source)


def _redact(request: Any) -> Any:
    """The echoed request without any API key (it must never reach a log, manifest or fixture)."""
    if not isinstance(request, dict):
        return request
    out = {k: v for k, v in request.items() if k.lower() not in _SECRET_PARAMS}
    if isinstance(out.get("params"), dict):
        out["params"] = {k: v for k, v in out["params"].items() if k.lower() not in _SECRET_PARAMS}
    return out


def _number(value: Any, source: str, where: str) -> float | None:
    """A JSON value as float: numbers and numeric strings parse, null is missing, anything else is an error."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise SourceError(f"{source}: {where} is a boolean ({value!r}), not a number")
    number = None
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            pass
    # "NaN"/"inf" parse as floats but are not publishable values.
    if number is not None and math.isfinite(number):
        return number
    raise SourceError(f"{source}: {where} is not numeric: {value!r}")


def _periods_to_dates(periods: list[str], pattern: re.Pattern, fmt: str, source: str, what: str):
    import polars as pl

    bad = [(i, p) for i, p in enumerate(periods) if not isinstance(p, str) or not pattern.match(p)]
    s = pl.Series("date", [p if isinstance(p, str) else None for p in periods], dtype=pl.String)
    dates = s.str.to_date(fmt, strict=False)
    bad += [(i, periods[i]) for i in (dates.is_null() & s.is_not_null()).arg_true().to_list()]
    if bad:
        bad = sorted(set(bad))
        raise SourceError(
            f"{source}: {what} periods do not match {fmt}: {[p for _, p in bad[:5]]} "
            f"at data rows {[i for i, _ in bad[:5]]}"
        )
    return dates


def _error_message(payload: dict) -> str | None:
    err = payload.get("error")
    if err is None:
        return None
    if isinstance(err, dict):
        return f"{err.get('code', '')} {err.get('message', err)}".strip()
    code = payload.get("code")
    return f"{code} {err}" if code is not None else str(err)


def parse_eia_api_v2(data: bytes | str | dict, source: str = "<response>"):
    """Parse one EIA API v2 ``/data`` response.

    Parameters
    ----------
    data : bytes, str or dict
        The response body, or the already decoded JSON.
    source : str
        Name used in error messages (the URL without its key, or a file).

    Returns
    -------
    frame : polars.DataFrame
        One row per ``response.data`` item, in response order: ``period``
        (EIA's stamp), ``date`` [date; the day for daily and weekly data, the
        first day of the month or year for monthly and annual data],
        ``series_id`` (the ``series`` or ``seriesId`` facet), ``value``
        [``units``; numeric strings are parsed, null stays null] and ``units``.
    meta : dict
        ``total`` (rows the query matches, across all pages), ``rows`` (rows
        in this response), ``offset`` (from the echoed request, default 0),
        ``complete`` (``offset + rows >= total``: False means fetch the next
        page), ``frequency``, ``date_format``, ``api_version``, ``units`` and
        ``descriptions`` by series, ``warnings`` and the ``request`` echo with
        any API key removed.

    Raises
    ------
    SourceError
        On an error payload, a missing ``response.data``, an unknown
        frequency, a period that does not match the frequency, or a value
        that is not a number or null.
    """
    import polars as pl

    payload = _load_json(data, source)
    if not isinstance(payload, dict):
        raise SourceError(f"{source}: expected a JSON object, got {type(payload).__name__}")
    msg = _error_message(payload)
    if msg is not None:
        raise SourceError(f"{source}: EIA API error: {msg}")
    response = payload.get("response")
    if not isinstance(response, dict) or not isinstance(response.get("data"), list):
        raise SourceError(f"{source}: no 'response.data' list in the EIA API v2 payload")
    frequency = response.get("frequency")
    if frequency not in _V2_PERIODS:
        raise SourceError(f"{source}: frequency {frequency!r} not one of {sorted(_V2_PERIODS)}")
    rows = response["data"]
    for i, r in enumerate(rows):
        if not isinstance(r, dict) or "period" not in r or "value" not in r:
            raise SourceError(f"{source}: response.data[{i}] lacks 'period' or 'value'")
    series = [r.get("series", r.get("seriesId")) for r in rows]
    missing_ids = [i for i, s in enumerate(series) if not isinstance(s, str) or not s]
    if missing_ids:
        raise SourceError(
            f"{source}: response.data rows {missing_ids[:5]} have no 'series' or 'seriesId'"
        )
    values = [_number(r["value"], source, f"response.data[{i}].value") for i, r in enumerate(rows)]
    units = [r.get("units", r.get("value-units")) for r in rows]
    pattern, fmt = _V2_PERIODS[frequency]
    periods = [r["period"] for r in rows]
    frame = pl.DataFrame(
        {
            "period": pl.Series(periods, dtype=pl.String),
            "date": _periods_to_dates(periods, pattern, fmt, source, "response.data"),
            "series_id": pl.Series(series, dtype=pl.String),
            "value": pl.Series(values, dtype=pl.Float64),
            "units": pl.Series(units, dtype=pl.String),
        }
    )
    try:
        total = int(response.get("total"))
    except (TypeError, ValueError):
        raise SourceError(
            f"{source}: response.total {response.get('total')!r} is not an integer"
        ) from None
    request = _redact(payload.get("request"))
    params = request.get("params", {}) if isinstance(request, dict) else {}
    try:
        offset = int(params.get("offset", 0) or 0)
    except (TypeError, ValueError):
        raise SourceError(
            f"{source}: request.params.offset {params.get('offset')!r} is not an integer"
        ) from None
    warnings = list(response.get("warnings", []))
    if "warning" in payload:
        warnings.append({"warning": payload["warning"], "description": payload.get("description")})
    meta = {
        "layout": "eia api v2",
        "total": total,
        "rows": len(rows),
        "offset": offset,
        "complete": offset + len(rows) >= total,
        "frequency": frequency,
        "date_format": response.get("dateFormat"),
        "api_version": payload.get("apiVersion"),
        "units": {s: u for s, u in zip(series, units)},
        "descriptions": {s: r.get("series-description") for s, r in zip(series, rows)},
        "warnings": warnings,
        "request": request,
    }
    return frame, meta


def read_eia_api_v2(path: Path):
    """Read a saved EIA API v2 response; see :func:`parse_eia_api_v2`."""
    return _read_file(parse_eia_api_v2, path)


def parse_eia_api_v1_series(data: bytes | str | dict, source: str = "<response>"):
    """Parse one EIA API v1 ``series`` object (``{"series_id", "units", "f", "data": [[period, value], ...]}``).

    Accepts the flat series object (as saved in
    ``eia_world_production_and_refiner_cost_monthly/eia_api_*.json``) or a full
    v1 response ``{"request": ..., "series": [<one series>]}``.

    Parameters
    ----------
    data : bytes, str or dict
        File content or decoded JSON.
    source : str
        Name used in error messages.

    Returns
    -------
    frame : polars.DataFrame
        ``period`` (EIA stamp such as ``202310``), ``date`` [date, first day
        of the period] and ``value`` [the series' ``units``], in file order
        (v1 lists the newest period first).
    meta : dict
        ``series_id``, ``name``, ``units``, ``units_short``, ``frequency``
        (``f``), ``start``, ``end``, ``last_updated``, ``geography`` and ``rows``.

    Raises
    ------
    SourceError
        On a v1 error payload, a missing field, an unknown frequency, a period
        that does not match it, or a non-numeric value.
    """
    import polars as pl

    payload = _load_json(data, source)
    if not isinstance(payload, dict):
        raise SourceError(f"{source}: expected a JSON object, got {type(payload).__name__}")
    if isinstance(payload.get("data"), dict) and "error" in payload["data"]:
        raise SourceError(f"{source}: EIA API error: {payload['data']['error']}")
    msg = _error_message(payload)
    if msg is not None:
        raise SourceError(f"{source}: EIA API error: {msg}")
    if "series" in payload:
        if not isinstance(payload["series"], list) or len(payload["series"]) != 1:
            raise SourceError(f"{source}: expected exactly one object in 'series'")
        payload = payload["series"][0]
    for key in ("series_id", "units", "f", "data"):
        if key not in payload:
            raise SourceError(f"{source}: v1 series lacks '{key}'")
    f = payload["f"]
    if f not in _V1_PERIODS:
        raise SourceError(f"{source}: frequency f={f!r} not one of {sorted(_V1_PERIODS)}")
    rows = payload["data"]
    if not isinstance(rows, list):
        raise SourceError(f"{source}: 'data' is not a list")
    for i, r in enumerate(rows):
        if not isinstance(r, list) or len(r) != 2:
            raise SourceError(f"{source}: data[{i}] is not a [period, value] pair: {r!r}")
    periods = [r[0] for r in rows]
    values = [_number(r[1], source, f"data[{i}] value") for i, r in enumerate(rows)]
    pattern, fmt = _V1_PERIODS[f]
    frame = pl.DataFrame(
        {
            "period": pl.Series(
                [p if isinstance(p, str) else None for p in periods], dtype=pl.String
            ),
            "date": _periods_to_dates(periods, pattern, fmt, source, "data"),
            "value": pl.Series(values, dtype=pl.Float64),
        }
    )
    meta = {
        "layout": "eia api v1 series",
        "series_id": payload["series_id"],
        "name": payload.get("name"),
        "units": payload["units"],
        "units_short": payload.get("unitsshort"),
        "frequency": f,
        "start": payload.get("start"),
        "end": payload.get("end"),
        "last_updated": payload.get("last_updated"),
        "geography": payload.get("geography"),
        "rows": len(rows),
    }
    return frame, meta


def read_eia_api_v1_series(path: Path):
    """Read a saved EIA API v1 series JSON; see :func:`parse_eia_api_v1_series`."""
    return _read_file(parse_eia_api_v1_series, path)


EIA_API_URL_ENV = "OILSHOCK_EIA_API_URL"
EIA_API_URL = "https://api.eia.gov/v2/"
# The API's largest page for JSON; fewer requests means fewer chances to be rate limited.
EIA_PAGE_LENGTH = 5000


def get_eia_api_v2(
    route: str,
    *,
    frequency: str,
    series: list[str],
    start: str | None = None,
    api_key: str | None = None,
    page_length: int = EIA_PAGE_LENGTH,
    config=None,
    client=None,
):
    """Fetch every page of an EIA API v2 ``/data`` query and parse it with :func:`parse_eia_api_v2`.

    Pages are requested by ``offset``/``length``, sorted by period ascending,
    until ``offset + rows >= total`` (the parser's ``complete``). The key
    comes from ``api_key`` or ``EIA_API_KEY`` and never reaches a message,
    a log line or the returned ``meta``.

    Parameters
    ----------
    route : str
        Route below the base URL, e.g. ``"petroleum/pri/spt/data/"``.
    frequency : str
        ``daily``, ``weekly``, ``monthly`` or ``annual``.
    series : list of str
        Values of the ``series`` facet, e.g. ``["RBRTE"]``.
    start : str, optional
        First period to ask for (EIA's stamp format).
    api_key : str, optional
        Default ``$EIA_API_KEY``.
    page_length : int
        Rows per request.
    config : oilshock.sources.http.HttpConfig, optional
    client : httpx.Client, optional

    Returns
    -------
    frame : polars.DataFrame
        All pages concatenated, in the parser's layout.
    meta : dict
        ``total``, ``pages``, ``units`` and ``descriptions`` by series,
        ``warnings``, and ``raw``: one ``{"url", "sha256"}`` per page (URL
        without the key).

    Raises
    ------
    SourceError
        No key; an HTTP failure (see :func:`oilshock.sources.http.fetch`); a
        page the parser refuses; ``total`` changing between pages; a page
        with no rows before ``total`` is reached; or a query that matches no
        rows at all.
    """
    import hashlib
    import os

    import polars as pl

    from oilshock.sources.http import HttpConfig, base_url, fetch
    from oilshock.sources.redaction import redact

    config = config or HttpConfig.from_env()
    key = api_key or os.environ.get("EIA_API_KEY")
    if not key:
        raise SourceError(
            f"EIA API v2 ({', '.join(series)}): no API key; set EIA_API_KEY "
            "(free at https://www.eia.gov/opendata/register.php)"
        )
    url = base_url(EIA_API_URL_ENV, EIA_API_URL).rstrip("/") + "/" + route.lstrip("/")
    name = f"EIA API v2 ({', '.join(series)})"
    frames, raw, warnings, units, descriptions = [], [], [], {}, {}
    offset, total = 0, None
    while True:
        params = [("frequency", frequency), ("data[0]", "value")]
        params += [("facets[series][]", s) for s in series]
        if start:
            params.append(("start", start))
        params += [
            ("sort[0][column]", "period"),
            ("sort[0][direction]", "asc"),
            ("offset", str(offset)),
            ("length", str(page_length)),
            ("api_key", key),
        ]
        if len(frames) >= config.max_pages:
            raise SourceError(
                f"{name}: {offset} of {total} rows after {len(frames)} pages; more pages than "
                f"OILSHOCK_HTTP_MAX_PAGES={config.max_pages} allows"
            )
        body, shown = fetch(
            url,
            params,
            source=name,
            secrets=[key],
            secret_params=["api_key"],
            config=config,
            client=client,
        )
        try:
            frame, meta = parse_eia_api_v2(body, shown)
        except SourceError as exc:
            # The payload is the server's: an error message in it may echo the request, key included.
            raise SourceError(redact(str(exc), [key])[:600]) from None
        if meta["total"] > config.max_pages * page_length:
            raise SourceError(
                f"{shown}: the API reports {meta['total']} rows, more than OILSHOCK_HTTP_MAX_PAGES={config.max_pages} "
                f"pages of {page_length} rows; refused"
            )
        echoed = (
            (meta["request"] or {}).get("params", {}) if isinstance(meta["request"], dict) else {}
        )
        if "offset" in echoed and meta["offset"] != offset:
            raise SourceError(
                f"{shown}: asked for offset {offset}, the response is for offset {meta['offset']}"
            )
        if total is not None and meta["total"] != total:
            raise SourceError(
                f"{shown}: total changed from {total} to {meta['total']} while paging; the data moved, retry later"
            )
        total = meta["total"]
        frames.append(frame)
        raw.append({"url": shown, "sha256": hashlib.sha256(body).hexdigest()})
        warnings += meta["warnings"]
        units.update(meta["units"])
        descriptions.update(meta["descriptions"])
        offset += meta["rows"]
        if offset >= total:
            break
        if meta["rows"] == 0:
            raise SourceError(
                f"{shown}: empty page at offset {offset} of {total} rows; the response is incomplete"
            )
    if total == 0:
        raise SourceError(f"{name}: {strip_userinfo(url)} returned no rows (total 0)")
    out = pl.concat(frames)
    if out.height != total:
        raise SourceError(f"{name}: received {out.height} rows, the API reports {total}")
    meta = {
        "layout": "eia api v2",
        "total": total,
        "pages": len(frames),
        "units": units,
        "descriptions": descriptions,
        "warnings": warnings,
        "raw": raw,
    }
    return out, meta


def get_eia_series(
    route: str, frequency: str, series: list[str], unit: str, *, config=None, client=None
):
    """All rows of ``series``; every row must carry EIA's ``unit`` (a unit change is an error, not a conversion)."""
    frame, meta = get_eia_api_v2(
        route, frequency=frequency, series=series, config=config, client=client
    )
    name = f"EIA API v2 ({', '.join(series)})"
    unknown = sorted(set(frame["series_id"].unique().to_list()) - set(series))
    if unknown:
        raise SourceError(f"{name}: response holds series {unknown} that were not asked for")
    units = sorted({u for u in frame["units"].to_list()}, key=str)
    if units != [unit]:
        raise SourceError(f"{name}: expected units {unit!r} on every row, found {units}")
    return frame, meta
