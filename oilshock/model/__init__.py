"""The model chain, one module per link: supply → crude → pump.

Each link has a ``fit_*`` function (statsmodels, imported inside it, run only
when the parameter cache is cold) and ``apply``-style functions that use
numpy only, so a warm estimate never imports statsmodels.
"""
