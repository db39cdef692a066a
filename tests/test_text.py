"""The shared rule for numbers and words in user text (oilshock/text.py)."""

from __future__ import annotations

from oilshock import text


def test_numbers_carry_a_true_minus_and_no_negative_zero():
    assert text.pct(-4.2, 1) == "−4.2%"
    assert text.pct(-0.4) == "0%" and text.pct(0.4) == "0%"
    assert text.pct(3.8) == "+4%"
    assert text.money(-84.2, 0) == "−$84"
    assert text.money(-0.001, 2, sign=True) == "$0.00"
    assert text.money(0.059, 3, sign=True) == "+$0.059"
    assert text.num(-0.04, 1, sign=True) == "0.0"


def test_words_follow_the_sign():
    assert text.spend(84) == "spend about $84 more"
    assert text.spend(-84) == "save about $84"
    assert text.spend(-68, verb="pays") == "saves $68"
    assert text.spend(68, verb="pays") == "pays $68 more"
    assert text.spend(0.2) == "spend about the same"
    assert text.by_sign(-0.03, "rise", "fall") == "fall"
    assert text.extreme(0.02) == "peak" and text.extreme(-0.02) == "low"
    assert text.day("2026-08-18") == "18 Aug 2026"
