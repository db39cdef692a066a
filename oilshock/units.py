"""Physical constants shared by the model and the reports, each defined once."""

GAL_PER_BBL = 42.0
"""US gallons in one barrel of oil [gal/bbl], by definition (NIST Handbook 44, Appendix C)."""
