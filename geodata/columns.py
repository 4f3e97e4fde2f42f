"""Recognise the columns of a planner's own file, or map them explicitly.

Headers are compared by :func:`header_key`: Unicode NFKD without diacritics,
``đ`` → ``d``, lower case, every run of other characters → ``_`` (so ``Mã xã``,
``MA_XA`` and ``ma xa`` are all ``ma_xa``; ``Diện tích (km²)`` is ``dien_tich_km2``).
:data:`COLUMN_ALIASES` lists the usual Vietnamese and English headers for each column
of the units table; anything else is mapped with ``--columns "Mã xã=code,Dân số=population"``
(:func:`parse_column_spec`) or ``[data.columns]`` in a scenario file.

Areas given in hectares (a header ending in ``ha``, or the explicit target
``area_ha``) are converted to km²; an area header without a unit is decided from the
values (:func:`area_unit`) and the decision is stated.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Final, Literal

import numpy as np

from sapxep.geodata.notes import Note
from sapxep.units.errors import DataValidationError

AreaUnit = Literal["km2", "ha"]

#: Canonical column -> accepted source headers, as :func:`header_key` keys (first match wins).
#: The 10-character forms are the names a Shapefile (DBF) truncates the long names to.
COLUMN_ALIASES: Final[dict[str, tuple[str, ...]]] = {
    "code": (
        "code", "unit_code", "commune_code", "ma_xa", "ma", "ma_dvhc", "ma_don_vi_hanh_chinh",
        "ma_don_vi", "ma_xa_phuong", "ma_xa_phuong_thi_tran", "ma_phuong", "ma_so", "ma_hanh_chinh",
        "ma_dvhc_cap_xa",
    ),
    "name": (
        "name", "unit_name", "commune_name", "ten_xa", "ten", "ten_dvhc", "ten_don_vi_hanh_chinh",
        "ten_don_vi", "ten_xa_phuong", "ten_xa_phuong_thi_tran", "ten_phuong", "don_vi_hanh_chinh",
        "ten_dvhc_cap_xa", "xa_phuong_thi_tran", "xa_phuong", "don_vi",
    ),
    "unit_type": ("unit_type", "loai", "loai_dvhc", "loai_don_vi", "loai_don_vi_hanh_chinh", "cap"),
    "parent_code": (
        "parent_code", "district_code", "ma_huyen", "parent_cod", "district_c", "ma_quan_huyen",
        "ma_dvhc_cap_huyen",
    ),
    "parent_name": (
        "parent_name", "district", "district_name", "ten_huyen", "parent_nam", "huyen",
        "quan_huyen", "ten_quan_huyen", "huyen_quan_thi_xa", "quan_huyen_thi_xa",
        "huyen_quan_thi_xa_thanh_pho", "quan_huyen_thi_xa_thanh_pho", "don_vi_cap_huyen",
        "ten_dvhc_cap_huyen",
    ),
    "parent_kind": ("parent_kind",),
    "province_code": ("province_code", "ma_tinh", "province_c", "ma_tinh_thanh_pho"),
    "province": (
        "province", "province_name", "ten_tinh", "tinh", "tinh_thanh_pho", "ten_tinh_thanh_pho",
        "tinh_tp",
    ),
    "population": (
        "population", "dan_so", "pop", "quy_mo_dan_so", "dan_so_nguoi", "tong_dan_so", "so_dan",
        "quy_mo_dan_so_nguoi", "dan_so_trung_binh", "nhan_khau", "so_nhan_khau",
    ),
    "area_km2_official": (
        "area_km2_official", "official_area_km2", "area_km2_o", "dien_tich", "dien_tich_tu_nhien",
        "dien_tich_km2", "dien_tich_tu_nhien_km2", "dttn", "dttn_km2", "dt_tu_nhien",
        "dt_tu_nhien_km2", "area_ha", "dien_tich_ha", "dien_tich_tu_nhien_ha", "dttn_ha",
        "dt_tu_nhien_ha",
    ),
    "terrain": ("terrain", "dia_hinh"),
    "is_mountainous": (
        "is_mountainous", "mountainous", "is_mountai", "mien_nui", "vung_cao", "mien_nui_vung_cao",
        "xa_mien_nui", "xa_mien_nui_vung_cao",
    ),
    "ethnic_minority_share": (
        "ethnic_minority_share", "em_share", "ethnic_min", "ty_le_dtts", "ty_le_dan_toc_thieu_so",
    ),
    "border": ("border", "bien_gioi", "xa_bien_gioi"),
    "island": ("island", "hai_dao", "xa_dao", "dao"),
    "coastal_disadvantaged": ("coastal_disadvantaged", "coastal_di"),
    "red_river_delta": ("red_river_delta", "red_river_"),
    "commune_class": (
        "commune_class", "commune_type", "commune_cl", "commune_ty", "phan_loai", "phan_loai_dvhc",
        "phan_loai_don_vi_hanh_chinh",
    ),
    "arranged_2019_2021": ("arranged_2019_2021",),
    "arranged_2023_2025": ("arranged_2023_2025",),
    "exemption_reason": ("exemption_reason", "exemption_"),
}  # fmt: skip

#: Extra targets accepted in an explicit mapping, and the canonical column they feed.
EXTRA_TARGETS: Final[dict[str, str]] = {"area_ha": "area_km2_official", "area_km2": "area_km2_official"}
#: Target that drops a column from use.
IGNORE: Final = "ignore"


def header_key(text: object) -> str:
    """Return the comparison key of a header: no diacritics, lower case, ``_`` between words.

    Parameters
    ----------
    text : object
        A header cell.

    Returns
    -------
    str
        E.g. ``"Diện tích (km²)"`` → ``"dien_tich_km2"``, ``"Mã ĐVHC"`` → ``"ma_dvhc"``.
    """
    s = unicodedata.normalize("NFKD", str(text).replace("đ", "d").replace("Đ", "D"))
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).casefold()
    return re.sub(r"[^a-z0-9]+", "_", s).strip("_")


def _unit_of_header(key: str) -> AreaUnit | None:
    if key.endswith("_ha") or key in ("ha", "area_ha") or "hecta" in key:
        return "ha"
    if key.endswith("km2") or "_km2_" in key:
        return "km2"
    return None


@dataclass(frozen=True)
class ColumnMapping:
    """Which source column feeds which column of the units table.

    Attributes
    ----------
    columns : dict of str to str
        Source header -> canonical column (only the columns used).
    area_unit : {"km2", "ha"} or None
        Unit of the area column when its header or the mapping says so.
    notes : list of str
        Columns recognised by an alias, columns left unused because another one was
        taken, for the output.
    """

    columns: dict[str, str]
    area_unit: AreaUnit | None = None
    notes: list[str] = field(default_factory=list)

    def source_of(self, canonical: str) -> str | None:
        """Return the source header feeding ``canonical``, or None."""
        return next((s for s, c in self.columns.items() if c == canonical), None)


def parse_column_spec(text: str | Mapping[str, str] | None) -> dict[str, str]:
    """Read ``"Mã xã=code,Dân số=population"`` (or a mapping) into ``{source: target}``.

    Parameters
    ----------
    text : str, mapping or None
        Comma- (or semicolon-) separated ``source=target`` pairs.

    Returns
    -------
    dict of str to str
        Sources as written (NFC), targets lower case.

    Raises
    ------
    DataValidationError
        Pairs without ``=`` or with an unknown target (with "did you mean").
    """
    if text is None:
        return {}
    if isinstance(text, Mapping):
        pairs = [(str(k), str(v)) for k, v in text.items()]
    else:
        pairs = []
        for part in re.split(r"[;,](?![^()]*\))", text):
            if not part.strip():
                continue
            source, eq, target = part.rpartition("=")
            pairs.append((source, target) if eq else (part, ""))
    known = [*COLUMN_ALIASES, *EXTRA_TARGETS, IGNORE]
    out: dict[str, str] = {}
    problems = []
    for source, target in pairs:
        s = unicodedata.normalize("NFC", source).strip()
        t = target.strip().lower()
        if not s or not t:
            problems.append(f"'{source}={target}': write each pair as HEADER=column, e.g. \"Mã xã=code\"")
        elif t not in known:
            near = difflib.get_close_matches(t, known, n=1)
            hint = f" (did you mean '{near[0]}'?)" if near else ""
            problems.append(f"'{s}={t}': unknown column '{t}'{hint}; known: {', '.join(known)}")
        else:
            out[s] = t
    if problems:
        raise DataValidationError("--columns: cannot read the column mapping", problems)
    return out


def detect_columns(
    headers: Iterable[object], *, explicit: Mapping[str, str] | None = None, source: str = ""
) -> ColumnMapping:
    """Decide which header feeds each column of the units table.

    Parameters
    ----------
    headers : iterable
        The file's headers.
    explicit : mapping, optional
        ``{header: target}`` from :func:`parse_column_spec`; wins over recognition.
        Headers are matched as written, else by :func:`header_key`.
    source : str
        File name for messages.

    Returns
    -------
    ColumnMapping

    Raises
    ------
    DataValidationError
        An explicit header that the file does not have (the message lists the headers).
    """
    heads = [str(h) for h in headers]
    by_key: dict[str, str] = {}
    for h in heads:
        by_key.setdefault(header_key(h), h)
    columns: dict[str, str] = {}
    area_unit: AreaUnit | None = None
    notes: list[str] = []
    problems = []
    for given, target in (explicit or {}).items():
        head = given if given in heads else by_key.get(header_key(given))
        if head is None:
            near = difflib.get_close_matches(given, heads, n=1)
            hint = f" (did you mean '{near[0]}'?)" if near else ""
            problems.append(
                f"--columns names '{given}', which is not a header{hint}; headers: {', '.join(heads)}"
            )
            continue
        if target == IGNORE:
            columns[head] = IGNORE
            continue
        canonical = EXTRA_TARGETS.get(target, target)
        columns[head] = canonical
        if target == "area_ha":
            area_unit = "ha"
        elif target in ("area_km2", "area_km2_official"):
            area_unit = "km2"
    if problems:
        where = f"{source}: " if source else ""
        raise DataValidationError(f"{where}the column mapping does not fit the file", problems)
    taken = set(columns.values())
    for canonical, aliases in COLUMN_ALIASES.items():
        if canonical in taken:
            continue
        hits = [by_key[a] for a in aliases if a in by_key and by_key[a] not in columns]
        if not hits:
            continue
        head = hits[0]
        columns[head] = canonical
        if header_key(head) != canonical:
            notes.append(Note(f"column '{head}' read as {canonical}", f"cột '{head}' đọc là {canonical}"))
        if len(hits) > 1:
            rest = ", ".join(f"'{h}'" for h in hits[1:])
            notes.append(
                Note(
                    f"{rest} also look like {canonical}; '{head}' was used "
                    f'(choose another with --columns "{hits[1]}={canonical}")',
                    f"{rest} cũng giống cột {canonical}; đã dùng '{head}' "
                    f'(chọn cột khác bằng --columns "{hits[1]}={canonical}")',
                )
            )
        if canonical == "area_km2_official":
            area_unit = _unit_of_header(header_key(head))
    used = {h: c for h, c in columns.items() if c != IGNORE}
    return ColumnMapping(used, area_unit, notes)


def area_unit(values: np.ndarray, *, polygon_km2: np.ndarray | None = None) -> tuple[AreaUnit, str]:
    """Decide whether an area column without a unit in its header is km² or hectares.

    With polygon areas the median ratio decides (≈ 1 → km², ≈ 100 → ha); without,
    a median above 300 is taken as hectares (a commune of 300 km² is rare, one of
    300 ha is common).

    Parameters
    ----------
    values : numpy.ndarray
        The area values (NaN where blank).
    polygon_km2 : numpy.ndarray, optional
        Polygon areas of the same rows, km².

    Returns
    -------
    tuple of ({"km2", "ha"}, str)
        The unit and a sentence saying why, for the output.
    """
    vals = np.asarray(values, dtype=float)
    if polygon_km2 is not None:
        ratio = vals / np.asarray(polygon_km2, dtype=float)
        ratio = ratio[np.isfinite(ratio) & (ratio > 0)]
        if len(ratio):
            med = float(np.median(ratio))
            unit: AreaUnit = "ha" if abs(np.log10(med) - 2) < abs(np.log10(med)) else "km2"
            return unit, f"median ratio to the polygon area is {med:.3g}"
    finite = vals[np.isfinite(vals)]
    if not len(finite):
        return "km2", "no values"
    med = float(np.median(finite))
    return ("ha" if med > 300 else "km2"), f"median value {med:g}"
