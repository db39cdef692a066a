"""The forecast stage: fitted parameters, the Monte Carlo and its reduction to an estimate.

In the order an estimate runs:

- :mod:`~oilshock.forecast.inputs` reads every frame a fit needs, point in time;
  :mod:`~oilshock.forecast.params` fits every link (cached by snapshot hash, ``as_of`` and fit
  code).
- :mod:`~oilshock.forecast.prepare` resolves scenario, ``as_of`` and parameters once.
- :mod:`~oilshock.forecast.streams` names the seeded random streams;
  :mod:`~oilshock.forecast.channels` draws the news premium and the refinery margin;
  :mod:`~oilshock.forecast.paths` turns a loss into Brent and pump paths.
- :mod:`~oilshock.forecast.simulate` is the orchestrator (``estimate``): it runs the draws
  into a :class:`~oilshock.forecast.draws.Simulation`; :mod:`~oilshock.forecast.sweep` runs a
  share × duration grid from the same streams.
- :mod:`~oilshock.forecast.reduce` turns the draws into the document (bands from
  :mod:`~oilshock.forecast.bands`); :mod:`~oilshock.forecast.result`,
  :mod:`~oilshock.forecast.election`, :mod:`~oilshock.forecast.status` and
  :mod:`~oilshock.forecast.compare` read it.

Nothing below :mod:`~oilshock.forecast.simulate` imports it; :func:`oilshock.estimate` calls it.
"""
