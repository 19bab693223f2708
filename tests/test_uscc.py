"""Unified social credit codes: the GB 32100 check character catches a mistyped code."""

from __future__ import annotations

import pytest

from cockpit.api import uscc

# The standard's own example, and codes made for Shaoxing's divisions
EXAMPLE = "91350100M000100Y43"


def test_the_standards_example_is_valid():
    assert uscc.validate(EXAMPLE) == EXAMPLE
    assert uscc.validate(" 9135 0100-m000100y43 ") == EXAMPLE  # spaces, dashes, lower case


@pytest.mark.parametrize("division", ["330602", "330603", "330604", "330681", "330683", "330624"])
def test_made_codes_are_valid_and_carry_the_division(division):
    code = uscc.make(division, "MA2B7C0D")
    assert uscc.is_valid(code) and code[2:8] == division and len(code) == 18
    # the organisation code's own check (GB 11714) is at position 17
    assert code[16] == uscc.org_check_char(code[8:16])


def test_every_single_character_substitution_is_caught():
    for i in range(18):
        for ch in uscc.CHARSET:
            if ch == EXAMPLE[i]:
                continue
            bad = EXAMPLE[:i] + ch + EXAMPLE[i + 1:]
            if i in (2, 3, 4, 5, 6, 7) and not ch.isdigit():
                continue  # caught earlier as a malformed division
            assert not uscc.is_valid(bad), bad


def test_messages_say_what_is_wrong():
    with pytest.raises(uscc.InvalidCode, match="应为18位，输入为17位"):
        uscc.validate(EXAMPLE[:-1])
    with pytest.raises(uscc.InvalidCode, match="不允许的字符：I"):
        uscc.validate(EXAMPLE[:10] + "I" + EXAMPLE[11:])
    with pytest.raises(uscc.InvalidCode, match="第18位应为3，输入为4"):
        uscc.validate(EXAMPLE[:17] + "4")


def test_adjacent_swaps_are_mostly_caught():
    caught = total = 0
    for i in range(17):
        if EXAMPLE[i] == EXAMPLE[i + 1]:
            continue
        swapped = EXAMPLE[:i] + EXAMPLE[i + 1] + EXAMPLE[i] + EXAMPLE[i + 2:]
        total += 1
        caught += not uscc.is_valid(swapped)
    assert caught == total
