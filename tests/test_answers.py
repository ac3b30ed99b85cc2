"""autograder.answers: Part 1 values found whatever the notation."""
import nbformat
import pytest

from autograder.answers import parse_part1

TEMPLATE_LINE = "\\nabla_{{{n}}} L = \\color{{cyan}}{{[{v}]}} \\\\"
NAMES = ("w_x", "w_h", "b_1", "w", "b_2")
RIGHT = ("0.0079", "-0.0060", "-0.0043", "0.0374", "0.0322")


def _cell(text):
    return {"cell_type": "markdown", "source": text}


def _block(values, line=TEMPLATE_LINE):
    body = "\n".join(line.format(n=n, v=v) for n, v in zip(NAMES, values))
    return f"$$\n\\begin{{cases}}\n{body}\n\\end{{cases}}\n$$"


def test_template_block_with_brackets():
    answer = parse_part1([_cell(_block(RIGHT))])
    assert [answer.value(n) for n in NAMES] == [0.0079, -0.006, -0.0043, 0.0374, 0.0322]
    assert answer.complete_block


def test_no_brackets_unicode_minus_and_other_colour_macro():
    line = "\\nabla_{{{n}}} L = \\textcolor{{blue}}{{{v}}} \\\\"
    answer = parse_part1([_cell(_block([v.replace("-", "−") for v in RIGHT], line))])
    assert answer.value("w_h") == -0.006 and answer.value("b_1") == -0.0043


def test_partial_fraction_notation_and_scientific_values():
    text = ("\\frac{\\partial L}{\\partial w_x} = 7.9 \\times 10^{-3} \\\\ \\dfrac{\\partial L}{\\partial w_{h}} = -0.0060"
            " \\\\ \\frac{\\partial L}{\\partial b_1} = -4.3e-3 \\\\ \\frac{\\partial L}{\\partial w} = 0.0374"
            " \\\\ \\frac{\\partial L}{\\partial b_2} = 0.0322")
    answer = parse_part1([_cell(text)])
    assert answer.value("w_x") == pytest.approx(0.0079) and answer.value("b_1") == pytest.approx(-0.0043)
    assert answer.value("w") == 0.0374 and answer.value("w_h") == -0.006


def test_placeholder_left_is_none_and_flagged():
    answer = parse_part1([_cell(_block(["nu."] * 5))])
    assert all(answer.value(n) is None for n in NAMES) and answer.placeholder_left


def test_last_complete_block_wins_even_in_a_later_cell():
    first = _block(["0.1"] * 5)
    answer = parse_part1([_cell(first), {"cell_type": "code", "source": "x = 1"}, _cell(_block(RIGHT))])
    assert answer.value("w") == 0.0374 and answer.values["w"].cell == 2


def test_incomplete_later_block_does_not_replace_complete_one():
    answer = parse_part1([_cell(_block(RIGHT)), _cell(_block(["nu."] * 5))])
    assert answer.value("b_2") == 0.0322


def test_derivation_expressions_are_not_taken_as_values():
    text = "\\nabla_{w_x} L = \\delta_1 x_1 + \\delta_2 x_2 \\\\ \\nabla_{w} L = (0.0444)(0.9820) + (-0.0122)(0.5090)"
    answer = parse_part1([_cell(text)])
    assert answer.value("w_x") is None and answer.value("w") is None


def test_decimals_as_written():
    answer = parse_part1([_cell(_block(["0.008", "-0.0060", "-0.0043", "0.037", "0.03223"]))])
    assert answer.values["w_x"].decimals == 3 and answer.values["b_2"].decimals == 5


def test_reference_solution_notebook_parses_complete():
    nb = nbformat.read("reference/solution/task1-xor.ipynb", as_version=4)
    answer = parse_part1(list(nb.cells))
    assert answer.complete_block and not answer.placeholder_left


def test_several_values_on_one_line_stay_apart():
    text = "$\\nabla_{w_x} L = 0.0079$, $\\nabla_{w_h} L = -0.0060$, $\\nabla_{b_1} L = -0.0043$"
    answer = parse_part1([_cell(text)])
    assert (answer.value("w_x"), answer.value("w_h"), answer.value("b_1")) == (0.0079, -0.006, -0.0043)


def test_chain_rule_written_before_the_value():
    text = "\\frac{\\partial L}{\\partial w_x} = \\frac{\\partial L}{\\partial h_1}\\frac{\\partial h_1}{\\partial w_x} = 0.0079"
    assert parse_part1([_cell(text)]).value("w_x") == 0.0079


def test_template_derivation_placeholder_is_detected():
    cell = "$$\\text{Your Derivations Here.}$$\n\n" + _block(RIGHT)
    assert parse_part1([_cell(cell)]).derivation_placeholder
    assert not parse_part1([_cell("a_1 = w_x x_1 + b_1 = 4\n\n" + _block(RIGHT))]).derivation_placeholder
