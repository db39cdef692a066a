"""Dataset contracts: ``schemas/*.toml`` → pandera (polars) schemas.

Every dataset oilshock ships or ingests is declared once, as data, in a TOML
file under ``schemas/`` (read with :mod:`tomllib`). That one declaration
drives

* the pandera schema used to validate data where it enters
  (:func:`validate`),
* the point-in-time filter used when a dataset is loaded ``as_of`` a date
  (:attr:`Contract.time_column`, :attr:`Contract.time_resolution`),
* the data dictionary in ``docs/data-dictionary.md``
  (:func:`render_data_dictionary`).

Contract file format
--------------------
::

    name = "brent_daily"             # public dataset name
    title = "..."                    # one line
    description = "..."              # what it is, how it was built
    kind = "series"                  # "series" (built by ingest) or "reference" (hand-transcribed CSV)
    file = "brent_daily.parquet"     # path inside the data directory
    frequency = "daily"              # free text: daily, weekly (Monday), monthly, annual, irregular
    primary_key = ["date"]           # unique; rows must be sorted by it
    time_column = "date"             # optional: the column point-in-time filters use
    time_resolution = "day"          # day | month | year: a row is known once its period has ended

    [source]
    publisher = "U.S. Energy Information Administration"
    series_ids = ["RBRTE"]
    url = "https://..."              # human page
    api_url = "https://..."          # live endpoint (optional)
    terms = "..."                    # licence or terms of use
    citation = "..."

    [[columns]]
    name = "brent_usd_per_bbl"
    dtype = "float64"                # date | float64 | int64 | string | bool
    unit = "USD/bbl"
    description = "..."
    nullable = false                 # default false
    checks = { gt = 0, le = 500 }    # ge gt le lt isin str_matches unique monotonic

Checks are deliberately few and declarative: ranges (``ge``, ``gt``, ``le``,
``lt``; numbers or TOML dates), allowed values (``isin``), a regular expression
(``str_matches``), column uniqueness (``unique = true``) and monotone order
(``monotonic = "increasing"`` or ``"strictly_increasing"``). Every dataset is
also checked for a unique primary key and rows sorted by it, and columns are
strict: an unexpected or missing column fails, and nothing is coerced.

pandera is imported only inside :func:`build_schema` and :func:`validate`, so
loading a contract (done on the ``estimate`` path) stays cheap.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from oilshock.errors import (  # noqa: F401 (re-exported)
    ContractDefinitionError,
    DataContractError,
    OilshockError,
    ShapeError,
    UnknownNameError,
)
from oilshock.periods import period_end  # noqa: F401 (re-exported)

DTYPES = ("date", "float64", "int64", "string", "bool")
CHECK_KEYS = ("ge", "gt", "le", "lt", "isin", "str_matches", "unique", "monotonic")
RESOLUTIONS = ("day", "month", "year")
KINDS = ("series", "reference")


@dataclass(frozen=True)
class ColumnSpec:
    """One column of a contract."""

    name: str
    dtype: str
    unit: str
    description: str
    nullable: bool = False
    checks: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Contract:
    """A dataset's declared shape, meaning and source (one ``schemas/*.toml``)."""

    name: str
    title: str
    description: str
    kind: str
    file: str
    frequency: str
    primary_key: tuple[str, ...]
    columns: tuple[ColumnSpec, ...]
    source: dict[str, Any]
    time_column: str | None = None
    time_resolution: str | None = None
    path: Path | None = None
    shape: dict[str, Any] = field(default_factory=dict)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> ColumnSpec:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    def polars_schema(self) -> dict[str, Any]:
        """Column name → polars dtype, in contract order."""
        return {c.name: _polars_dtype(c.dtype) for c in self.columns}


def schemas_dir() -> Path:
    """The directory holding the contracts: packaged copy, else the source tree's ``schemas/``."""
    here = Path(__file__).resolve().parents[1]
    packaged = here / "_schemas"
    return packaged if packaged.is_dir() else here.parent / "schemas"


def _polars_dtype(name: str):
    import polars as pl

    return {
        "date": pl.Date,
        "float64": pl.Float64,
        "int64": pl.Int64,
        "string": pl.String,
        "bool": pl.Boolean,
    }[name]


COLUMN_KEYS = ("name", "dtype", "unit", "description", "nullable", "checks")
FIELDS_FILE = "_fields.toml"


def load_fields(directory: Path | None = None) -> dict[str, dict]:
    """The shared column definitions (``schemas/_fields.toml``), by key; none if the file is absent.

    A contract's column ``field = "<key>"`` starts from the definition and may override any of
    its keys (:func:`parse_contract`).
    """
    path = (directory or schemas_dir()) / FIELDS_FILE
    if not path.is_file():
        return {}
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ContractDefinitionError(f"{path}: TOML syntax error: {exc}") from None
    for key, definition in raw.items():
        if not isinstance(definition, dict):
            raise ContractDefinitionError(f"{path}: '{key}' must be a table of column keys")
        unknown = set(definition) - set(COLUMN_KEYS)
        if unknown:
            raise ContractDefinitionError(f"{path}: [{key}] has unknown key(s) {sorted(unknown)}")
    return raw


def _resolve_field(c: dict, fields: dict[str, dict], where: str, ctx: str) -> dict:
    """A column with ``field = "<key>"`` as the shared definition overridden by its own keys."""
    if "field" not in c:
        return c
    ref = c["field"]
    if not isinstance(ref, str) or ref not in fields:
        known = ", ".join(sorted(fields)) or "none"
        raise ContractDefinitionError(
            f"{where}: {ctx}field '{ref}' is not defined in {FIELDS_FILE} (known: {known})"
        )
    return {**fields[ref], **{k: v for k, v in c.items() if k != "field"}}


def parse_contract(text: str, path: Path | None = None, fields: dict | None = None) -> Contract:
    """Parse one contract's TOML text, checking the contract's own shape.

    ``fields`` are the shared column definitions a column may refer to (default: the package's,
    :func:`load_fields`).
    """
    where = str(path) if path else "<contract>"
    shared = load_fields() if fields is None else fields
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ContractDefinitionError(f"{where}: TOML syntax error: {exc}") from None

    def need(key: str, table: dict = raw, ctx: str = "") -> Any:
        if key not in table:
            raise ContractDefinitionError(f"{where}: missing key '{ctx}{key}'")
        return table[key]

    cols = []
    for i, c in enumerate(need("columns")):
        ctx = f"columns[{i}]."
        c = _resolve_field(c, shared, where, ctx)
        dtype = need("dtype", c, ctx)
        if dtype not in DTYPES:
            raise ContractDefinitionError(f"{where}: {ctx}dtype '{dtype}' not one of {DTYPES}")
        checks = dict(c.get("checks", {}))
        bad = set(checks) - set(CHECK_KEYS)
        if bad:
            raise ContractDefinitionError(f"{where}: {ctx}checks has unknown rule(s) {sorted(bad)}")
        unknown = set(c) - set(COLUMN_KEYS)
        if unknown:
            raise ContractDefinitionError(f"{where}: {ctx} has unknown key(s) {sorted(unknown)}")
        cols.append(
            ColumnSpec(
                name=need("name", c, ctx),
                dtype=dtype,
                unit=need("unit", c, ctx),
                description=need("description", c, ctx),
                nullable=bool(c.get("nullable", False)),
                checks=checks,
            )
        )
    contract = Contract(
        name=need("name"),
        title=need("title"),
        description=need("description").strip(),
        kind=need("kind"),
        file=need("file"),
        frequency=need("frequency"),
        primary_key=tuple(need("primary_key")),
        columns=tuple(cols),
        source=dict(need("source")),
        time_column=raw.get("time_column"),
        time_resolution=raw.get("time_resolution"),
        path=path,
        shape=_parse_shape(raw.get("shape", {}), where),
    )
    names = contract.column_names
    if contract.kind not in KINDS:
        raise ContractDefinitionError(f"{where}: kind '{contract.kind}' not one of {KINDS}")
    for k in contract.primary_key:
        if k not in names:
            raise ContractDefinitionError(f"{where}: primary key column '{k}' is not a column")
    if contract.time_column is not None:
        if contract.time_column not in names:
            raise ContractDefinitionError(
                f"{where}: time_column '{contract.time_column}' is not a column"
            )
        if contract.time_resolution not in RESOLUTIONS:
            raise ContractDefinitionError(f"{where}: time_resolution must be one of {RESOLUTIONS}")
    for key in ("publisher", "url", "terms"):
        need(key, contract.source, "source.")
    if (
        contract.shape.get("no_future_dates") or contract.shape.get("keep_coverage")
    ) and contract.time_column is None:
        raise ContractDefinitionError(f"{where}: shape rules on dates need a time_column")
    for col in contract.shape.get("max_null_pct", {}):
        if col not in names or not contract.column(col).nullable:
            raise ContractDefinitionError(
                f"{where}: [shape] max_null_pct.{col} names no nullable column"
            )
    return contract


# The dates a series may carry (``[shape] date_grid``): polars weekday numbers (Monday = 1)
# or, for ``month_start``, the first day of a month.
DATE_GRIDS = {
    "month_start": "the first day of a month",
    "monday": "a Monday",
    "friday": "a Friday",
    "weekday": "a weekday (Monday to Friday)",
}


def _parse_shape(shape: Any, where: str) -> dict[str, Any]:
    if not isinstance(shape, dict):
        raise ContractDefinitionError(f"{where}: [shape] must be a table")
    kinds = {
        "min_rows": int,
        "max_row_drop_pct": (int, float),
        "no_future_dates": bool,
        "keep_coverage": bool,
        "date_grid": str,
        "max_null_pct": dict,
    }
    for key, value in shape.items():
        if key not in kinds:
            raise ContractDefinitionError(
                f"{where}: [shape] has unknown rule '{key}' (known: {', '.join(kinds)})"
            )
        if key == "date_grid":
            if not isinstance(value, str) or value not in DATE_GRIDS:
                raise ContractDefinitionError(
                    f"{where}: [shape] date_grid = {value!r} is not one of {', '.join(DATE_GRIDS)}"
                )
            continue
        if key == "max_null_pct":
            if not isinstance(value, dict):
                raise ContractDefinitionError(
                    f"{where}: [shape] max_null_pct must be a table of column = percent"
                )
            for col, pct in value.items():
                if (
                    isinstance(pct, bool)
                    or not isinstance(pct, (int, float))
                    or not 0 <= pct <= 100
                ):
                    raise ContractDefinitionError(
                        f"{where}: [shape] max_null_pct.{col} = {pct!r} is not a percent in [0, 100]"
                    )
            continue
        if not isinstance(value, kinds[key]) or (
            kinds[key] is not bool and (isinstance(value, bool) or value < 0)
        ):
            raise ContractDefinitionError(
                f"{where}: [shape] {key} = {value!r} is not a valid value"
            )
    return dict(shape)


@functools.cache
def load_contracts(directory: Path | None = None) -> dict[str, Contract]:
    """Every contract in ``directory`` (default :func:`schemas_dir`), by dataset name."""
    directory = directory or schemas_dir()
    fields = load_fields(directory)
    out: dict[str, Contract] = {}
    for p in sorted(directory.glob("*.toml")):
        if p.name.startswith("_"):  # shared definitions, not a contract
            continue
        c = parse_contract(p.read_text(encoding="utf-8"), p, fields)
        if c.name != p.stem:
            raise ContractDefinitionError(
                f"{p}: name '{c.name}' must equal the file stem '{p.stem}'"
            )
        out[c.name] = c
    return out


def get_contract(name: str) -> Contract:
    """The contract of dataset ``name``; an unknown name suggests the closest one."""
    contracts = load_contracts()
    if name not in contracts:
        raise UnknownNameError("dataset", name, list(contracts))
    return contracts[name]


# ---------------------------------------------------------------- pandera


def _mono_check(pa, pl, key_name: str, strict: bool):
    def check(data):
        col = pl.col(data.key)
        diff_ok = (col > col.shift(1)) if strict else (col >= col.shift(1))
        return data.lazyframe.select(diff_ok.fill_null(True))

    rule = "strictly_increasing" if strict else "increasing"
    return pa.Check(check, name=f"monotonic_{rule}", error=f"monotonic_{rule}")


def _sorted_check(pa, pl, keys: tuple[str, ...]):
    """Rows must be in primary-key order (so every series is monotone in time)."""

    def check(data):
        lf = data.lazyframe
        # A row is in order if it is >= its predecessor in lexicographic key order.
        ok = pl.lit(False)
        eq_so_far = pl.lit(True)
        for k in keys:
            c, prev = pl.col(k), pl.col(k).shift(1)
            ok = ok | (eq_so_far & (c > prev))
            eq_so_far = eq_so_far & (c == prev)
        ok = ok | eq_so_far  # equal keys are caught by the uniqueness rule
        return lf.select(ok.fill_null(True).alias("sorted"))

    return pa.Check(
        check, name=f"sorted_by({', '.join(keys)})", error=f"sorted_by({', '.join(keys)})"
    )


def build_schema(contract: Contract):
    """Turn a :class:`Contract` into a ``pandera.polars.DataFrameSchema``."""
    import pandera.polars as pa
    import polars as pl

    columns = {}
    for c in contract.columns:
        checks = []
        ch = c.checks
        for op in ("ge", "gt", "le", "lt"):
            if op in ch:
                bound = ch[op]
                checks.append(
                    {"ge": pa.Check.ge, "gt": pa.Check.gt, "le": pa.Check.le, "lt": pa.Check.lt}[
                        op
                    ](bound)
                )
        if "isin" in ch:
            checks.append(pa.Check.isin(list(ch["isin"])))
        if "str_matches" in ch:
            checks.append(pa.Check.str_matches(ch["str_matches"]))
        if "monotonic" in ch:
            checks.append(_mono_check(pa, pl, c.name, ch["monotonic"] == "strictly_increasing"))
        columns[c.name] = pa.Column(
            _polars_dtype(c.dtype),
            checks=checks,
            nullable=c.nullable,
            unique=bool(ch.get("unique", False)),
            coerce=False,
        )
    return pa.DataFrameSchema(
        columns,
        checks=[_sorted_check(pa, pl, contract.primary_key)],
        unique=list(contract.primary_key),
        strict=True,
        ordered=True,
        coerce=False,
        name=contract.name,
    )


def validate(frame, dataset: str | Contract, source: str = "<frame>"):
    """Check ``frame`` against the contract of ``dataset``.

    Parameters
    ----------
    frame : polars.DataFrame
        The data to check. It is never modified, coerced or filtered.
    dataset : str or Contract
        The dataset name (or its contract).
    source : str
        Where the data came from (file path or URL), named in any error.

    Returns
    -------
    polars.DataFrame
        ``frame`` itself, when every rule holds.

    Raises
    ------
    DataContractError
        Naming the file, each failing column and rule, and the first
        offending rows (0-based, in file order) with their values.
    """
    import pandera.polars as pa
    import polars as pl

    contract = dataset if isinstance(dataset, Contract) else get_contract(dataset)
    schema = build_schema(contract)
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        raise DataContractError(contract.name, source, _failures(exc.failure_cases)) from None
    except pa.errors.SchemaError as exc:  # pragma: no cover - lazy=True collects these
        raise DataContractError(
            contract.name, source, [{"column": "?", "rule": str(exc)}]
        ) from None
    except BaseException as exc:
        # pandera's own polars queries fail on some malformed frames, and values out of any
        # calendar (a damaged Parquet page) make polars panic (pyo3's PanicException is a BaseException).
        if (
            not isinstance(exc, pl.exceptions.PolarsError)
            and type(exc).__name__ != "PanicException"
        ):
            raise
        found = ", ".join(repr(c)[:40] for c in frame.columns[:5])
        rule = f"columns {contract.column_names} (found {found}; {type(exc).__name__})"
        raise DataContractError(
            contract.name, source, [{"column": "<table>", "rule": rule}]
        ) from None
    return frame


def _failures(cases) -> list[dict]:
    import polars as pl

    # Table-level rules (key uniqueness, order, unexpected columns) name the schema.
    cases = cases.with_columns(
        pl.when(pl.col("schema_context") == "DataFrameSchema")
        .then(pl.lit("<table>"))
        .otherwise(pl.col("column"))
        .fill_null("<table>")
        .alias("column")
    )
    out = []
    for (column, check), grp in cases.group_by(["column", "check"], maintain_order=True):
        grp = grp.sort("index", nulls_last=True)
        rows = [int(i) for i in grp["index"].to_list() if i is not None]
        out.append(
            {
                "column": column,
                "rule": check,
                "rows": rows[:5],
                "values": [v for v in grp["failure_case"].to_list()[:5]],
                "count": grp.height,
            }
        )
    return out
