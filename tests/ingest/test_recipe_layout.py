"""Recipes are found, not listed, and a dataset's file and live recipes sit together (#16 item 6)."""

from oilshock.data.contracts import load_contracts
from oilshock.ingest import LIVE_RECIPES, RECIPES, _load_recipes


def test_every_built_dataset_has_a_recipe_found_by_discovery():
    recipes = _load_recipes()
    built = {n for n, c in load_contracts().items() if c.kind != "reference"}
    assert built == set(recipes)


def test_live_recipes_sit_beside_their_file_recipes():
    _load_recipes()
    assert {"brent_daily", "wti_daily", "retail_gasoline_weekly"} <= set(LIVE_RECIPES)
    for name, live in LIVE_RECIPES.items():
        assert live.__module__ == RECIPES[name].__module__, name
        assert live.__module__ != "oilshock.ingest.live"
