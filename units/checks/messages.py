"""Message templates of the plan checks, in Vietnamese and English, and label helpers.

Every message names units as ``Name (code)`` and says how to fix the problem. Vietnamese
messages use official terms and Vietnamese number formatting (``12.143 người``, ``6,72 km²``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

from sapxep.units.assessment import format_number
from sapxep.units.choices import Lang
from sapxep.units.errors import format_codes

#: Vietnamese label of each violation kind (used by ``PlanCheck.summary`` in Vietnamese).
KIND_LABELS_VI: Final[dict[str, str]] = {
    "partition": "phân chia",
    "seat": "trụ sở",
    "contiguity": "liền kề",
    "floor": "quy mô",
    "single": "giữ nguyên",
    "must_arrange": "thuộc diện phải sắp xếp",
    "lock": "khóa giữ nguyên",
    "pair": "cặp đơn vị",
    "ceiling": "mức tối đa",
    "parent": "phạm vi cấp huyện",
    "exception": "ngoại lệ cần Ủy ban Thường vụ Quốc hội xem xét",
}

# Message templates, one per language; placeholders are filled by ``_msg``.
_MESSAGES: Final[dict[str, dict[str, str]]] = {
    "en": {
        "dup": "{n} units are in more than one new unit ({detail}): put each in exactly one",
        "dup_item": "{unit} in {groups}",
        "unknown": "new unit {gid} names unknown codes {codes}: use codes of the units table",
        "missing": (
            "{n} units are in no new unit ({units}): assign each to a new unit "
            "(a unit left unchanged is a new unit of one member)"
        ),
        "seat_empty": "a seat is given for new unit {gid}, which has no members: remove it",
        "seat_not_member": (
            "new unit {gid}: seat {seat} is not one of its members ({members}): choose a member as seat"
        ),
        "label": "new unit {gid} ({members})",
        "absent": (
            "{label}: {units} not in the adjacency graph; rebuild the graph from the same units or add links"
        ),
        "split": (
            "{label} is not contiguous: it splits into {n} parts [{parts}]; move units so that "
            "each new unit is connected"
        ),
        "must_arrange": (
            "{unit} must be arranged ({reason}) but is left alone: merge it with at least one "
            "neighbour, or declare an exemption with a reason"
        ),
        "single": (
            "{unit} is left alone but ruleset {ruleset} does not allow single-unit new units: "
            "merge it with a neighbour"
        ),
        "override": "what-if floor (--min-population/--min-area)",
        "short_pop": "population {value} < {minimum}",
        "short_area": "area {value} < {minimum}",
        "and": " and ",
        "waiver": " (or reach {k} members for the waiver)",
        "floor": "{label}, seat {seat}: {short} ({article}); add neighbouring units{hint}",
        "exception": (
            "{label}, seat {seat}: {short} ({article}) — below the size orientation with fewer than "
            "3 members: an exception for the National Assembly Standing Committee to consider ({exception})"
        ),
        "must_arrange_plain": (
            "{unit} must be arranged but is left alone: merge it with at least one neighbour"
        ),
        "lock": (
            "{unit} is locked (kept unchanged) but is in new unit {gid} with {others}: undo the "
            "edit or unlock the unit"
        ),
        "forced": ("{a} and {b} must be in the same new unit but are in {ga} and {gb}: move one of them"),
        "forbidden": (
            "{a} and {b} must be in different new units but are both in {gid}: move one of them out"
        ),
        "fixed_seat": (
            "{unit} must be the seat of its new unit {gid}, but the seat is {seat}: make it the seat"
        ),
        "ceiling": "{label}: {what} above the maximum {maximum}; move units to another new unit",
        "over_members": "{value} members",
        "over_pop": "population {value}",
        "over_area": "area {value}",
        "parent": ("{label} spans {n} district-level units ({parents}); keep each new unit within one"),
        "ok": (
            "plan OK: {n_units} units -> {n_new} new units; partition, seats, contiguity, floors "
            "and must-arrange units all satisfied"
        ),
        "failed": "plan has {n} violations ({kinds})",
        "breaks": "plan breaks {n} rules",
    },
    "vi": {
        "dup": (
            "{n} đơn vị hành chính được xếp vào nhiều hơn một đơn vị mới ({detail}): mỗi đơn vị "
            "chỉ được xếp vào đúng một đơn vị mới"
        ),
        "dup_item": "{unit} thuộc {groups}",
        "unknown": (
            "đơn vị mới {gid} có mã không có trong bảng đơn vị hành chính ({codes}): dùng mã "
            "của bảng đơn vị hành chính"
        ),
        "missing": (
            "{n} đơn vị hành chính chưa được xếp vào đơn vị mới nào ({units}): xếp mỗi đơn vị "
            "vào một đơn vị mới (đơn vị giữ nguyên là một đơn vị mới gồm một đơn vị)"
        ),
        "seat_empty": (
            "có khai báo trụ sở cho đơn vị mới {gid} nhưng đơn vị này không có đơn vị thành "
            "viên nào: bỏ khai báo trụ sở này"
        ),
        "seat_not_member": (
            "đơn vị mới {gid}: trụ sở đặt tại {seat}, không thuộc các đơn vị được sắp xếp "
            "({members}): chọn trụ sở tại một trong các đơn vị này"
        ),
        "label": "đơn vị mới {gid} ({members})",
        "absent": (
            "{label}: {units} không có trong đồ thị liền kề; dựng lại đồ thị từ cùng bảng đơn vị "
            "hành chính hoặc bổ sung liên kết"
        ),
        "split": (
            "{label} không liền một khối: bị tách thành {n} phần [{parts}]; điều chỉnh phương án "
            "để các đơn vị trong mỗi đơn vị mới liền kề nhau"
        ),
        "must_arrange": (
            "{unit} thuộc diện phải sắp xếp ({reason}) nhưng được giữ nguyên: sắp xếp với ít nhất "
            "một đơn vị liền kề, hoặc khai báo không bắt buộc sắp xếp kèm lý do (yếu tố đặc thù)"
        ),
        "single": (
            "{unit} được giữ nguyên nhưng bộ tiêu chuẩn {ruleset} không cho phép đơn vị mới chỉ gồm "
            "một đơn vị: sắp xếp với một đơn vị liền kề"
        ),
        "override": "ngưỡng giả định theo --min-population/--min-area",
        "short_pop": "chưa đạt quy mô dân số ({value} < {minimum})",
        "short_area": "chưa đạt quy mô diện tích ({value} < {minimum})",
        "and": " và ",
        "waiver": " (hoặc sắp xếp đủ {k} đơn vị để không phải áp dụng tiêu chuẩn quy mô)",
        "floor": "{label}, trụ sở đặt tại {seat}: {short} ({article}); sắp xếp thêm đơn vị liền kề{hint}",
        "exception": (
            "{label}, trụ sở đặt tại {seat}: {short} ({article}) — chưa đạt định hướng quy mô, "
            "dưới 3 đơn vị: trường hợp cần Ủy ban Thường vụ Quốc hội xem xét ({exception})"
        ),
        "must_arrange_plain": (
            "{unit} thuộc diện phải sắp xếp nhưng được giữ nguyên: sắp xếp với ít nhất một đơn vị liền kề"
        ),
        "lock": (
            "{unit} được khóa giữ nguyên nhưng đang được sắp xếp vào đơn vị mới {gid} cùng "
            "{others}: hoàn tác thao tác này hoặc bỏ khóa đơn vị"
        ),
        "forced": (
            "{a} và {b} phải thuộc cùng một đơn vị mới nhưng đang thuộc {ga} và {gb}: chuyển một "
            "trong hai đơn vị"
        ),
        "forbidden": (
            "{a} và {b} không được thuộc cùng một đơn vị mới nhưng cùng thuộc {gid}: chuyển một "
            "trong hai đơn vị sang đơn vị mới khác"
        ),
        "fixed_seat": (
            "{unit} phải là nơi đặt trụ sở của đơn vị mới {gid} nhưng trụ sở đang đặt tại {seat}: "
            "đặt trụ sở tại đơn vị này"
        ),
        "ceiling": "{label}: {what} vượt mức tối đa {maximum}; chuyển bớt đơn vị sang đơn vị mới khác",
        "over_members": "có {value} đơn vị được sắp xếp",
        "over_pop": "quy mô dân số {value}",
        "over_area": "diện tích {value}",
        "parent": (
            "{label} gồm các đơn vị thuộc {n} đơn vị hành chính cấp huyện ({parents}); mỗi đơn vị "
            "mới chỉ gồm các đơn vị thuộc cùng một đơn vị hành chính cấp huyện"
        ),
        "ok": (
            "phương án sắp xếp hợp lệ: {n_units} đơn vị hành chính → {n_new} đơn vị mới; đạt các "
            "yêu cầu về phân chia, trụ sở, liền kề, quy mô và các đơn vị thuộc diện phải sắp xếp"
        ),
        "failed": "phương án sắp xếp có {n} vi phạm ({kinds})",
        "breaks": "phương án sắp xếp vi phạm {n} quy định",
    },
}


def msg(lang: str, key: str, **values: Any) -> str:
    """Return message ``key`` in ``lang`` with ``values`` filled in."""
    return _MESSAGES[lang][key].format(**values)


def check_lang(lang: object) -> None:
    """Raise ValueError unless ``lang`` is "vi" or "en"."""
    if lang not in ("vi", "en"):
        raise ValueError(f"lang must be 'vi' or 'en', got {lang!r}")


def label(code: str, names: Mapping[str, str]) -> str:
    """Return ``"Name (code)"``, or the bare code when there is no distinct name."""
    name = names.get(code, "")
    return f"{name} ({code})" if name and name != code else code


def labels(codes: Iterable[str], names: Mapping[str, str], limit: int = 8, lang: Lang = "en") -> str:
    """Return a short list of ``"Name (code)"`` labels."""
    return format_codes([label(c, names) for c in codes], limit=limit, lang=lang)


def fmt_pop(x: float, lang: Lang) -> str:
    """Format a population (Vietnamese: ``1.000 người``; English keeps the bare ``1,000``)."""
    return format_number(x, lang=lang) + (" người" if lang == "vi" else "")


def fmt_area(x: float, lang: Lang) -> str:
    """Format an area in km² with two decimals."""
    return format_number(x, decimals=2, lang=lang) + " km²"
