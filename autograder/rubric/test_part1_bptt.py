"""Part 1 (10 points): the hand-derived BPTT gradients written in the notebook's markdown."""
from __future__ import annotations

from typing import Callable

import pytest

from autograder.answers import Part1Answer
from autograder.config import GradingConfig
from autograder.diagnosis import judge
from reference.bptt import GRADIENT_NAMES


@pytest.mark.points(2)
@pytest.mark.parametrize("name", GRADIENT_NAMES)
def test_part1_gradient_within_tolerance(name: str, part1_answer: Part1Answer, config: GradingConfig,
                                         partial_credit: Callable[[float, str], None],
                                         review: Callable[[str], None]) -> None:
    """Part 1: each hand-derived gradient matches the reference within the tolerance."""
    if part1_answer.derivation_placeholder:
        review("Part 1: the derivation is still the template placeholder ('Your Derivations Here')")
    for note in part1_answer.notes:
        review(f"Part 1: {note}")
    verdict = judge(name, part1_answer.values.get(name), config)
    if verdict.convention:
        review(f"Part 1: ∇{name} follows the '{verdict.convention}' convention")
    if verdict.fraction <= 0:
        pytest.fail(verdict.message, pytrace=False)
    partial_credit(verdict.fraction, verdict.message)
