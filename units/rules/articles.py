"""Article references in English: ``"NQ 35/2023 Điều 1 khoản 2 điểm a"`` -> ``"Art. 1(2)(a)"``."""

from __future__ import annotations

import re

_EN_WORDS = (
    ("sửa đổi bởi", "as amended by"),
    ("bổ sung bởi", "added by"),
    ("giả định", "assumption"),
    ("Giả định (không phải quy định)", "Assumption (not a legal rule)"),
    ("tiêu chuẩn xã miền núi, vùng cao", "mountainous xã standard"),
    ("tiêu chuẩn xã hải đảo", "island xã standard"),
    ("tiêu chuẩn xã", "xã standard"),
    ("tiêu chuẩn phường", "phường standard"),
    ("yếu tố đặc thù", "special factors"),
    ("xã thuộc huyện đảo: không có định hướng quy mô", "island-district commune: no size orientation"),
    (
        "tiêu chuẩn thị trấn; số điều chưa xác định trong nguồn đã đọc",
        "thị trấn standard; article number not determined in the sources read",
    ),
    ("điểm về cấp xã; chưa đọc được văn bản gốc", "point on communes; legal text not read"),
    ("chưa xác định", "not determined"),
    ("% dân số, ", "% population, "),
    ("% diện tích — ", "% area — "),
)


def article_en(article: str) -> str:
    """Render a Vietnamese article reference in English.

    ``"NQ 35/2023 Điều 1 khoản 2 điểm a"`` -> ``"NQ 35/2023 Art. 1(2)(a)"``.

    Parameters
    ----------
    article : str

    Returns
    -------
    str
    """
    out = re.sub(r"Điều (\w+)", r"Art. \1", article)
    out = re.sub(r" khoản (\d+)", r"(\1)", out)
    out = re.sub(r" điểm (\w)", r"(\1)", out)
    for vi, en in sorted(_EN_WORDS, key=lambda t: -len(t[0])):
        out = out.replace(vi, en)
    return out


__all__ = ["article_en"]
