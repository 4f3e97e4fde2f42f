"""Error helpers: short code lists and per-unit problems merged by their fix."""

from __future__ import annotations

from sapxep.units.errors import format_codes, group_same_fix


def test_format_codes_summarises_the_rest_in_the_language() -> None:
    assert format_codes(["1", "2", "3"], limit=2) == "1, 2, … (+1 more)"
    assert format_codes(["1", "2", "3"], limit=2, lang="vi") == "1, 2, … (+1 khác)"


def test_problems_with_one_fix_become_one_line_naming_every_unit() -> None:
    problems = [
        "Phường A (07888): add parent_name",
        "codes 1, 2: duplicated",
        "Phường B (07891): add parent_name",
        "Xã C (07900): population missing",
    ]
    assert group_same_fix(problems) == [
        "Phường A (07888), Phường B (07891): add parent_name",
        "codes 1, 2: duplicated",
        "Xã C (07900): population missing",
    ]
    assert group_same_fix([]) == []
