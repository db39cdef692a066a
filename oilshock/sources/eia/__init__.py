"""U.S. Energy Information Administration: API v2 (and v1 series) JSON, and EIA table layouts."""
