"""Recipes: politics datasets."""

from __future__ import annotations
