"""Layout of Vietnamese administrative documents in Word (Nghị định 30/2020/NĐ-CP, Phụ lục I).

The numbers (font, sizes, margins, page numbers) and the dossier outline are data, in
``scenarios/templates/de_an_sap_xep.toml`` with their sources; this module applies them:
page setup, the heading block (issuing body and number on the left, national heading and
place/date on the right, each with its short rule), page numbers at the top centre from
page 2, headings, tables and the signature block.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / "de_an_sap_xep.toml"


@lru_cache(maxsize=1)
def dossier_template() -> dict[str, Any]:
    """Return the layout, outline and legal-basis lists of the dossier draft (read once)."""
    with TEMPLATE.open("rb") as fh:
        return tomllib.load(fh)


def setup_page(doc: Any) -> None:
    """A4 portrait, the decree's margins and body font, page numbers from page 2."""
    lay = dossier_template()["layout"]
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.top_margin, sec.bottom_margin = Cm(lay["margin_top_cm"]), Cm(lay["margin_bottom_cm"])
    sec.left_margin, sec.right_margin = Cm(lay["margin_left_cm"]), Cm(lay["margin_right_cm"])
    sec.header_distance = Cm(1.0)
    for name in ("Normal", "Table Grid", "List Number", "List Bullet", "Caption"):
        try:
            style = doc.styles[name]
        except KeyError:
            continue
        style.font.name = lay["font"]
        style.font.size = Pt(lay["body_size_pt"] if name == "Normal" else 12)
        rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            rfonts.set(qn(attr), lay["font"])
    normal = doc.styles["Normal"].paragraph_format
    normal.space_after = Pt(6)
    normal.line_spacing = 1.15
    for level in (1, 2):
        h = doc.styles[f"Heading {level}"]
        h.font.name, h.font.size, h.font.bold = lay["font"], Pt(14 if level == 1 else 13), True
        h.font.color.rgb = RGBColor(0, 0, 0)
        rfonts = h.element.get_or_add_rPr().get_or_add_rFonts()
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            rfonts.attrib.pop(qn(attr), None)  # theme fonts would override Times New Roman
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            rfonts.set(qn(attr), lay["font"])
    _page_numbers(sec, lay["font"])


def _page_numbers(section: Any, font: str) -> None:
    """A PAGE field centred in the header; none on the first page (Decree 30, Phụ lục I)."""
    section.different_first_page_header_footer = True
    p = section.header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run()
    run.font.name, run.font.size = font, Pt(13)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)


def fix_widths(table: Any, widths_cm: list[float]) -> None:
    """Fixed column widths that Word and LibreOffice both honour (grid, columns and cells)."""
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    for j, w in enumerate(widths_cm):
        table.columns[j].width = Cm(w)
        for cell in table.columns[j].cells:
            cell.width = Cm(w)


def short_rule(paragraph: Any) -> None:
    """Draw the short line under a heading line: a bottom border on an indented paragraph."""
    ppr = paragraph._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(k), v)
    bdr.append(bottom)
    ppr.append(bdr)
    paragraph.paragraph_format.space_after = Pt(4)


def _cell_lines(cell: Any, lines: list[tuple[str, bool, bool, float]], rule_after: int | None,
                rule_cm: float) -> None:  # fmt: skip
    """Write (text, bold, italic, size) lines centred in a cell, a short rule after one line."""
    cell.paragraphs[0].text = ""
    for i, (text, bold, italic, size) in enumerate(lines):
        p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_after = Pt(0)
        r = p.add_run(text)
        r.bold, r.italic, r.font.size = bold, italic, Pt(size)
        if i == rule_after:
            rule = cell.add_paragraph()
            rule.paragraph_format.space_after = Pt(6)
            width = cell.width.cm if cell.width else 7.0
            indent = max(0.0, (width - rule_cm) / 2)
            rule.paragraph_format.left_indent = Cm(indent)
            rule.paragraph_format.right_indent = Cm(indent)
            rule.paragraph_format.line_spacing = Pt(2)
            short_rule(rule)


def heading_block(doc: Any, *, issuer: str, number: str, place_date: str) -> None:
    """Issuing body and number (left), national heading and place/date (right), no borders."""
    t = doc.add_table(rows=1, cols=2)
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    fix_widths(t, [6.3, 10.2])
    left, right = t.rows[0].cells
    issuer_lines = issuer.split("\n")
    _cell_lines(left, [(s, True, False, 13) for s in issuer_lines], len(issuer_lines) - 1, 2.5)
    left.add_paragraph(number).alignment = WD_ALIGN_PARAGRAPH.CENTER
    _cell_lines(right, [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True, False, 12.5),
                        ("Độc lập - Tự do - Hạnh phúc", True, False, 13.5)], 1, 5.5)  # fmt: skip
    p = right.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = p.add_run(place_date)
    r.italic, r.font.size = True, Pt(14)


def centred(doc: Any, text: str, *, bold: bool = False, italic: bool = False, size: float = 14) -> Any:
    """Add one centred paragraph."""
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_after = Pt(2)
    r = p.add_run(text)
    r.bold, r.italic, r.font.size = bold, italic, Pt(size)
    return p


def part_heading(doc: Any, text: str) -> None:
    """A part heading ("Phần I" over its title), centred and bold."""
    first, _, rest = text.partition("\n")
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_before = Pt(12)
    p.paragraph_format.keep_with_next = True
    p.add_run(first).bold = True
    if rest:
        r = p.add_run("\n" + rest)
        r.bold = True


def body(doc: Any, text: str, *, italic: bool = False) -> Any:
    """A justified body paragraph with a first-line indent of 1 cm."""
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    p.paragraph_format.first_line_indent = Cm(1.0)
    r = p.add_run(text)
    r.italic = italic
    return p


def grid_table(doc: Any, header: list[str] | None, rows: list[list[str]], widths_cm: list[float],
               *, numeric_from: int | None = None, size: float = 12) -> Any:  # fmt: skip
    """A ruled table (header bold and repeated on each page); numbers right-aligned."""
    t = doc.add_table(rows=0, cols=len(widths_cm))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    if header is not None:
        cells = t.add_row().cells
        for j, h in enumerate(header):
            p = cells[j].paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            r = p.add_run(h)
            r.bold, r.font.size = True, Pt(size)
        tr_pr = t.rows[0]._tr.get_or_add_trPr()
        rep = OxmlElement("w:tblHeader")
        rep.set(qn("w:val"), "true")
        tr_pr.append(rep)
    for row in rows:
        cells = t.add_row().cells
        for j, v in enumerate(row):
            p = cells[j].paragraphs[0]
            p.paragraph_format.space_after = Pt(0)
            if numeric_from is not None and j >= numeric_from:
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            p.add_run(str(v)).font.size = Pt(size)
    fix_widths(t, widths_cm)
    return t


def signature_block(doc: Any, signature: str, recipients: list[str], *, heading: str) -> None:
    """The recipients (under ``heading``) on the left, the signing authority on the right."""
    t = doc.add_table(rows=1, cols=2)
    fix_widths(t, [8.0, 8.5])
    left, right = t.rows[0].cells
    p = left.paragraphs[0]
    r = p.add_run(heading)
    r.bold, r.italic, r.font.size = True, True, Pt(12)
    for line in recipients:
        q = left.add_paragraph()
        q.paragraph_format.space_after = Pt(0)
        q.add_run(f"- {line}").font.size = Pt(11)
    _cell_lines(right, [(s, True, False, 14) for s in signature.split("\n")], None, 0)
