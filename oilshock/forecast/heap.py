"""The C allocator's settings for repeated Monte Carlo runs in one process."""

from __future__ import annotations

_HEAP = {"retained": None}
# glibc mallopt parameters (malloc.h) and the values asked for [bytes].
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
_KEEP_FREED_BYTES, _HEAP_ALLOCATION_BYTES = 256 * 2**20, 32 * 2**20


def retain_freed_memory() -> bool:
    """Let the C allocator keep freed memory for the next Monte Carlo instead of returning it.

    A run allocates and frees a few dozen megabytes of paths. By default
    glibc hands blocks that large straight back to the kernel, so the next
    run pays a page fault for every 4 KiB it touches again — about a quarter
    of a 10,000-draw run on the reference machine (``benchmarks/README.md``).
    This asks glibc (``mallopt``) to serve blocks of up to 32 MiB from its
    heap and to keep up to 256 MiB of freed heap, as the
    ``MALLOC_TRIM_THRESHOLD_`` and ``MALLOC_MMAP_THRESHOLD_`` environment
    variables would. A single run's peak memory is unchanged; across runs
    the process keeps up to 256 MiB it has freed (a sequence of benchmark
    runs peaked at 137 MiB instead of 130 MiB).

    Done once per process, at the first Monte Carlo; skipped where the C
    library is not glibc, and when ``OILSHOCK_RETAIN_HEAP=0``.

    Returns
    -------
    bool
        Whether the allocator took the settings.
    """
    if _HEAP["retained"] is None:
        import ctypes
        import os

        ok = False
        try:
            glibc = (os.confstr("CS_GNU_LIBC_VERSION") or "").startswith("glibc")
        except (AttributeError, ValueError, OSError):  # no confstr (Windows) or not glibc
            glibc = False
        if glibc and os.environ.get("OILSHOCK_RETAIN_HEAP", "1") != "0":
            try:
                mallopt = ctypes.CDLL(None).mallopt
            except (OSError, AttributeError, TypeError):
                mallopt = None
            if mallopt is not None:
                ok = bool(mallopt(_M_MMAP_THRESHOLD, _HEAP_ALLOCATION_BYTES)) and bool(
                    mallopt(_M_TRIM_THRESHOLD, _KEEP_FREED_BYTES)
                )
        _HEAP["retained"] = ok
    return _HEAP["retained"]
