"""Recipes: chokepoints datasets."""

from __future__ import annotations
