"""Official measures checked against figures computed by hand."""

import pytest

from proplens.eval.metrics import (
    macro_f1_single,
    merge_intervals,
    micro_f1_sets,
    span_classification,
    span_identification,
)


def test_st1_macro_f1_by_hand() -> None:
    gold = {"1": "opinion", "2": "opinion", "3": "reporting", "4": "satire"}
    pred = {"1": "opinion", "2": "reporting", "3": "reporting", "4": "opinion"}
    # opinion P=1/2 R=1/2 F=.5; reporting P=1/2 R=1 F=2/3; satire F=0
    assert macro_f1_single(gold, pred).value == pytest.approx((0.5 + 2 / 3 + 0) / 3)


def test_st3_micro_f1_over_paragraph_triples() -> None:
    gold = {("a", 1): {"Doubt", "Slogans"}, ("a", 3): set(), ("b", 1): {"Doubt"}}
    pred = {("a", 1): {"Doubt"}, ("a", 3): {"Repetition"}, ("b", 1): {"Doubt"}}
    score = micro_f1_sets(gold, pred)
    # tp=2, predicted=3, gold=3 -> P=R=F=2/3
    assert score.value == pytest.approx(2 / 3)
    assert score.per_class["Doubt"].f1 == pytest.approx(1.0)
    assert score.per_class["Repetition"].precision == 0.0


def test_merge_intervals() -> None:
    assert merge_intervals([(5, 8), (0, 3), (2, 4), (8, 9)]) == [(0, 4), (5, 9)]


def test_si_partial_overlap_credit() -> None:
    gold = [("a", "X", 0, 10)]
    pred = [("a", "Y", 5, 15)]
    score = span_identification(gold, pred)
    # |s∩t| = 5: P = 5/10, R = 5/10
    assert score.precision == pytest.approx(0.5)
    assert score.recall == pytest.approx(0.5)
    assert score.value == pytest.approx(0.5)


def test_si_merges_overlapping_spans_and_ignores_labels() -> None:
    gold = [("a", "X", 0, 10), ("a", "Y", 5, 20)]  # merged to [0, 20)
    pred = [("a", "Z", 0, 5), ("b", "Z", 0, 4)]  # b has no gold
    score = span_identification(gold, pred)
    # P = (5/5 + 0) / 2 = .5; R = (5/20) / 1 = .25
    assert score.precision == pytest.approx(0.5)
    assert score.recall == pytest.approx(0.25)
    assert score.value == pytest.approx(2 * 0.5 * 0.25 / 0.75)


def test_flc_needs_matching_labels() -> None:
    gold = [("a", "Doubt", 0, 10), ("a", "Slogans", 20, 30)]
    pred = [("a", "Doubt", 0, 5), ("a", "Repetition", 20, 30)]
    score = span_classification(gold, pred)
    # Doubt: P 1, R .5; Repetition: P 0; Slogans: R 0 -> P = 1/2, R = .5/2
    assert score.precision == pytest.approx(0.5)
    assert score.recall == pytest.approx(0.25)
    assert score.per_class["Doubt"].recall == pytest.approx(0.5)
    assert score.per_class["Slogans"].recall == 0.0


def test_empty_predictions_score_zero() -> None:
    assert span_identification([("a", "X", 0, 4)], []).value == 0.0
