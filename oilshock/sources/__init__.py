"""Readers, one module per publisher and format.

Naming follows pvlib: ``parse_*`` takes bytes or text already in memory,
``read_*`` takes a file path, ``get_*`` fetches over HTTP. Every reader
returns ``(frame, meta)``: a polars frame in the source's own layout, with
dates parsed and values as floats, and a dict of what the source says about
itself (series ids, units, last update). The same ``parse_*`` function serves
a raw file and a live response of the same format.

Parsers are strict: a value that does not parse, a column the format should
have and does not, or an unknown unit raises
:class:`~oilshock.errors.SourceError` naming the source and the column;
nothing is dropped or filled. Only markers the publisher defines as
"missing" (EIA blank cells, FRED's ``.``, BLS ``-``) become nulls.
"""
