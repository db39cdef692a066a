"""Reading an xlsx file back from its XML with zipfile alone (no spreadsheet library needed).

A cell is ``<c r="B2" s="3" t="s"><v>..</v></c>`` in ``xl/worksheets/sheetN.xml``, its style
``s`` indexes ``cellXfs`` in ``xl/styles.xml``, whose ``numFmtId`` names a number format.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
import zipfile

NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "p": "http://schemas.openxmlformats.org/package/2006/relationships",
}
# Excel's built-in number formats that a writer may use instead of its own.
BUILTIN = {0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 10: "0.00%", 14: "m/d/yyyy"}
EXCEL_EPOCH = dt.date(1899, 12, 30)


class Book:
    """An xlsx file's sheets (in order), cells, shared strings and number formats."""

    def __init__(self, path):
        with zipfile.ZipFile(path) as z:
            self.files = {n: z.read(n).decode() for n in z.namelist()}
        wb = ET.fromstring(self.files["xl/workbook.xml"])
        rels = ET.fromstring(self.files["xl/_rels/workbook.xml.rels"])
        target = {r.get("Id"): r.get("Target") for r in rels.findall("p:Relationship", NS)}
        rid = f"{{{NS['r']}}}id"
        self.sheets = {
            s.get("name"): "xl/" + target[s.get(rid)].lstrip("/").removeprefix("xl/")
            for s in wb.find("m:sheets", NS)
        }
        sst = ET.fromstring(self.files["xl/sharedStrings.xml"])
        self.strings = ["".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t")) for si in sst]
        styles = ET.fromstring(self.files["xl/styles.xml"])
        codes = dict(BUILTIN)
        codes.update(
            {
                int(f.get("numFmtId")): f.get("formatCode")
                for f in styles.iter(f"{{{NS['m']}}}numFmt")
            }
        )
        xfs = styles.find("m:cellXfs", NS)
        self.formats = [codes.get(int(x.get("numFmtId", 0)), "?") for x in xfs]

    def xml(self, sheet: str) -> str:
        return self.files[self.sheets[sheet]]

    def cells(self, sheet: str) -> dict[str, tuple]:
        """``{"A1": (type, value, number format, has_formula)}``; text resolved from shared strings."""
        out = {}
        for c in ET.fromstring(self.xml(sheet)).iter(f"{{{NS['m']}}}c"):
            t, v = c.get("t", "n"), c.find("m:v", NS)
            value = None if v is None else v.text
            if t == "s" and value is not None:
                value = self.strings[int(value)]
            elif t == "n" and value is not None:
                value = float(value)
            fmt = self.formats[int(c.get("s", 0))]
            out[c.get("r")] = (t, value, fmt, c.find("m:f", NS) is not None)
        return out

    def table(self, sheet: str, first_row: int = 1) -> list[dict]:
        """The sheet's rows from ``first_row`` (the header) on, as dicts of (value, format)."""
        grid: dict[int, dict[str, tuple]] = {}
        for ref, (_t, value, fmt, _f) in self.cells(sheet).items():
            col, row = re.fullmatch(r"([A-Z]+)(\d+)", ref).groups()
            grid.setdefault(int(row), {})[col] = (value, fmt)
        head = grid[first_row]
        return [
            {head[c][0]: cell for c, cell in grid[r].items() if c in head}
            for r in sorted(grid)
            if r > first_row
        ]

    def table_parts(self, sheet: str) -> list[str]:
        """The XML of the Excel tables (``xl/tables/tableN.xml``) on a sheet."""
        path = self.sheets[sheet]
        rels = path.replace("worksheets/", "worksheets/_rels/") + ".rels"
        if rels not in self.files:
            return []
        out = []
        for r in ET.fromstring(self.files[rels]).findall("p:Relationship", NS):
            if r.get("Target").startswith("../tables/"):
                out.append(self.files["xl/tables/" + r.get("Target").split("/")[-1]])
        return out


def excel_date(serial: float) -> dt.date:
    return EXCEL_EPOCH + dt.timedelta(days=serial)
