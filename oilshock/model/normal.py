"""Fast standard normal draws for the Monte Carlo (Box–Muller on the generator's raw bits)."""

from __future__ import annotations

import numpy as np


def standard_normal(rng: np.random.Generator, shape: tuple) -> np.ndarray:
    """Standard normal draws in single precision, by the Box–Muller transform.

    :math:`z_1 = \\sqrt{-2 \\ln u_1} \\cos 2\\pi u_2`, :math:`z_2 = \\sqrt{-2 \\ln u_1} \\sin 2\\pi u_2`
    for independent uniforms (Box & Muller 1958, *Ann. Math. Statist.* 29(2),
    610–611), taken as 32-bit words of ``rng``'s bit generator output (the
    first half of the words give the radii, the second half the angles).
    Exact in distribution up to the 24-bit resolution of the uniforms: the
    tails are cut at 5.8 standard deviations (probability 7e-9), far beyond
    the 5th and 95th percentiles reported. Vectorised, it costs about a third
    of ``Generator.standard_normal`` on the reference machine (float32; in
    float64 the transcendental functions cost more than they save), and the
    Monte Carlo needs a million of them for its predictive paths.

    Parameters
    ----------
    rng : numpy.random.Generator
    shape : tuple of int

    Returns
    -------
    ndarray of ``shape``, float32
    """
    size = int(np.prod(shape))
    pairs = (size + 1) // 2
    bits = rng.bit_generator.random_raw(pairs).view(np.uint32)  # two 32-bit words per output
    bits >>= 8  # 24 bits: exact in float32
    u = bits.astype(np.float32)
    u *= 2.0**-24  # [0, 1)
    radius = u[:pairs]
    np.subtract(1.0, radius, out=radius)  # (0, 1]: the logarithm stays finite
    np.log(radius, out=radius)
    radius *= -2.0
    np.sqrt(radius, out=radius)
    angle = u[pairs:]
    angle *= 2 * np.pi
    out = np.empty(2 * pairs, dtype=np.float32)
    np.cos(angle, out=out[:pairs])
    np.sin(angle, out=out[pairs:])
    out[:pairs] *= radius
    out[pairs:] *= radius
    return out[:size].reshape(shape)
