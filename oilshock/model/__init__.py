"""The model chain, one module per link: supply → crude → pump.

Each link has a ``fit_*`` function (statsmodels, imported inside it, run only
when the parameter cache is cold) and ``apply``-style functions that use
numpy only, so a warm estimate never imports statsmodels.
"""

import numpy as np


def leading_rows(a: np.ndarray) -> int:
    """Number of rows of ``a`` up to and including its last row with a nonzero value.

    Time-major paths go quiet once a disruption is over; the Monte Carlo does
    its per-week work only over the rows before that. Scanning from the end
    finds the last nonzero row after reading the few quiet rows.
    """
    last = a.shape[0]
    while last and not a[last - 1].any():
        last -= 1
    return last
