"""Unified social credit codes (统一社会信用代码, GB 32100-2015): check and make.

An 18-character code::

    9 1 330603 MA2BCDEF1 X
    | | |      |         └ check character over the first 17 (GB 32100, mod 31)
    | | |      └ organisation code: 8 characters + its own check (GB 11714, mod 11)
    | | └ administrative division (e.g. 330603 柯桥区)
    | └ organisation type (1 = enterprise under the market regulator...)
    └ registration authority (9 = market regulation)

Characters are 0-9 and the capital letters without I, O, S, V, Z (31 in all).
"""

from __future__ import annotations

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {c: i for i, c in enumerate(CHARSET)}
_WEIGHTS = [pow(3, i, 31) for i in range(17)]  # 1, 3, 9, 27, 19, 26, ...
# GB 11714 organisation code: digits and letters A-Z valued 10..35
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


class InvalidCode(ValueError):
    """A code that is not a valid unified social credit code; the message says why."""


def _org_value(ch: str) -> int:
    return int(ch) if ch.isdigit() else ord(ch) - ord("A") + 10


def check_char(first17: str) -> str:
    """The 18th character of a code whose first 17 characters are given."""
    total = sum(_VALUE[c] * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def org_check_char(first8: str) -> str:
    """The 9th character of an organisation code (positions 9–17 of a credit code)."""
    total = sum(_org_value(c) * w for c, w in zip(first8, _ORG_WEIGHTS, strict=True))
    c = 11 - total % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def normalise(text: str) -> str:
    """A code as typed: spaces and dashes removed, letters upper-cased."""
    return "".join(ch for ch in text.strip().upper() if ch not in " -\u3000")


def validate(text: str) -> str:
    """The normalised code, or InvalidCode saying what is wrong with it (in Chinese and English)."""
    code = normalise(text)
    if len(code) != 18:
        raise InvalidCode(f"统一社会信用代码应为18位，输入为{len(code)}位 / a credit code has 18 characters, got {len(code)}")
    bad = sorted({ch for ch in code if ch not in _VALUE})
    if bad:
        shown = "、".join(bad)
        raise InvalidCode(
            f"含有不允许的字符：{shown}（代码不使用I、O、S、V、Z）/ characters not allowed: {' '.join(bad)}"
        )
    if not code[2:8].isdigit():
        raise InvalidCode("第3–8位应为行政区划代码（6位数字）/ characters 3–8 must be a 6-digit division code")
    expected = check_char(code[:17])
    if code[17] != expected:
        raise InvalidCode(
            f"校验码不符：第18位应为{expected}，输入为{code[17]}（代码有误）"
            f" / check character should be {expected}, not {code[17]}: the code is mistyped"
        )
    return code


def is_valid(text: str) -> bool:
    try:
        validate(text)
    except InvalidCode:
        return False
    return True


def make(division: str, body8: str, authority: str = "9", org_type: str = "1") -> str:
    """A valid code from a 6-digit division, an 8-character organisation body and the prefix."""
    if len(division) != 6 or not division.isdigit():
        raise ValueError(f"division must be 6 digits, not {division!r}")
    body8 = body8.upper()
    if len(body8) != 8 or any(ch not in _VALUE for ch in body8):
        raise ValueError(f"organisation body must be 8 code characters, not {body8!r}")
    org = body8 + org_check_char(body8)
    first17 = authority + org_type + division + org
    if any(ch not in _VALUE for ch in first17):
        raise ValueError(f"not a code character in {first17!r}")
    return first17 + check_char(first17)
