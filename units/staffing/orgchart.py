"""Organisation structure of one unit as a graph, a table and a rendered org chart.

The graph is a :class:`networkx.DiGraph` ``unit -> body -> department -> position``
(a position may hang directly under its body). Node attributes: ``kind`` (unit | body |
department | position), ``label`` (Vietnamese), ``headcount`` (int; summed upwards), and
for positions ``title``, ``category``, ``slot``. Rendering uses matplotlib's object API
(no pyplot state) with DejaVu Sans, which covers Vietnamese.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

import networkx as nx
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

from sapxep.units.files import atomic_path
from sapxep.units.staffing.templates import CATEGORY_LABELS_VI, OrgTemplate

logger = logging.getLogger(__name__)

ROOT = "unit"
_COLOURS = {
    "unit": "#1f4e79",
    "body": "#2e75b6",
    "department": "#9dc3e6",
    "cadre": "#f4b183",
    "civil_servant": "#c5e0b4",
    "part_time": "#ffe699",
    "public_employee": "#d9d9d9",
}
_FONT = {"family": ["sans-serif"]}


def org_graph(
    template: OrgTemplate,
    headcounts: Mapping[str, int],
    *,
    unit_type: str,
    unit_label: str,
    pooled: Mapping[str, int] | None = None,
) -> nx.DiGraph:
    """Build the organisation graph of one unit.

    Parameters
    ----------
    template : OrgTemplate
        The structure (2023 or 2025).
    headcounts : mapping
        Position id -> headcount (:func:`sapxep.units.staffing.headcounts.position_headcounts`);
        positions with 0 are left out.
    unit_type : str
        For labels (e.g. the land-administration title differs for a phường).
    unit_label : str
        Label of the root node, e.g. ``"Xã Minh Tiến (loại II)"``.
    pooled : mapping, optional
        Quota line (slot) -> staff present (e.g. pooled after a merger). Stored as the
        ``pooled`` attribute of the position (one-position slots) or of its department
        (department slots of the 2025 structure), and summed upwards where complete.

    Returns
    -------
    networkx.DiGraph
        Edges go from parent to child; ``graph.graph`` holds ``template`` and ``structure``.
    """
    g = nx.DiGraph(template=template.id, structure=template.structure)
    g.add_node(ROOT, kind="unit", label=unit_label, headcount=0)
    for pid, p in template.positions.items():
        n = int(headcounts.get(pid, 0))
        if n <= 0:
            continue
        bnode = f"body:{p.body}"
        if bnode not in g:
            g.add_node(bnode, kind="body", label=template.bodies[p.body]["label_vi"], headcount=0)
            g.add_edge(ROOT, bnode)
        parent = bnode
        if p.department:
            dnode = f"dept:{p.department}"
            if dnode not in g:
                g.add_node(
                    dnode,
                    kind="department",
                    label=template.department_label(p.department, unit_type),
                    headcount=0,
                )
                g.add_edge(bnode, dnode)
            parent = dnode
        pnode = f"pos:{pid}"
        g.add_node(
            pnode,
            kind="position",
            label=p.label_for(unit_type),
            headcount=n,
            title=pid,
            category=p.category,
            slot=p.slot,
        )
        g.add_edge(parent, pnode)
        if pooled is not None and p.slot in pooled:
            if len(template.slots[p.slot].positions) == 1:
                g.nodes[pnode]["pooled"] = int(pooled[p.slot])
            elif p.department:
                g.nodes[parent]["pooled"] = int(pooled[p.slot])
    for node in reversed(list(nx.topological_sort(g))):
        kids = list(g.successors(node))
        if kids:
            g.nodes[node]["headcount"] = sum(g.nodes[k]["headcount"] for k in kids)
            if "pooled" not in g.nodes[node] and all("pooled" in g.nodes[k] for k in kids):
                g.nodes[node]["pooled"] = sum(g.nodes[k]["pooled"] for k in kids)
    return g


def org_table(graph: nx.DiGraph) -> pd.DataFrame:
    """Return the organisation as a table, one row per position.

    Parameters
    ----------
    graph : networkx.DiGraph
        From :func:`org_graph`.

    Returns
    -------
    pandas.DataFrame
        Columns ``body, department, position, title, category, category_vi, headcount,
        pooled`` (Vietnamese labels; ``pooled`` = staff present on the position, or on its
        department for department-level quota lines, None if not given), in template
        order; a last row ``Tổng cộng`` with the totals.
    """
    rows = []
    for node in nx.dfs_preorder_nodes(graph, ROOT):
        a = graph.nodes[node]
        if a["kind"] != "position":
            continue
        chain = nx.shortest_path(graph, ROOT, node)
        body = next((graph.nodes[c]["label"] for c in chain if c.startswith("body:")), "")
        dept = next((graph.nodes[c]["label"] for c in chain if c.startswith("dept:")), "")
        rows.append(
            {
                "body": body,
                "department": dept,
                "position": a["label"],
                "title": a["title"],
                "category": a["category"],
                "category_vi": CATEGORY_LABELS_VI[a["category"]],
                "headcount": int(a["headcount"]),
                "pooled": a.get("pooled", graph.nodes[chain[-2]].get("pooled")),
            }
        )
    df = pd.DataFrame(rows)
    total = dict.fromkeys(df.columns, "") | {
        "body": "Tổng cộng",
        "headcount": int(graph.nodes[ROOT]["headcount"]),
        "pooled": graph.nodes[ROOT].get("pooled"),
    }
    return pd.concat([df, pd.DataFrame([total])], ignore_index=True)


def _layout(graph: nx.DiGraph) -> dict[str, tuple[float, float]]:
    """Left-to-right tidy tree: x = depth, leaves stacked top-down, parents centred."""
    pos: dict[str, tuple[float, float]] = {}
    counter = [0.0]

    def visit(node: str, depth: int) -> float:
        kids = list(graph.successors(node))
        if not kids:
            y = counter[0]
            counter[0] += 1.0
        else:
            ys = [visit(k, depth + 1) for k in kids]
            y = (min(ys) + max(ys)) / 2.0
        pos[node] = (float(depth), y)
        return y

    visit(ROOT, 0)
    return pos


def render_org_chart(
    graph: nx.DiGraph,
    path: str | Path,
    *,
    title: str | None = None,
    estimated: bool = False,
    dpi: int = 120,
) -> Path:
    """Draw the organisation chart to an image file (SVG, PNG or PDF by suffix).

    Parameters
    ----------
    graph : networkx.DiGraph
        From :func:`org_graph`.
    path : str or Path
        Output file; the format follows the suffix.
    title : str, optional
        Chart title (default: the root label).
    estimated : bool, default False
        Stamp "SỐ LIỆU ƯỚC TÍNH" (estimated data) on the chart.
    dpi : int, default 120
        Resolution for raster formats.

    Returns
    -------
    Path
        The written file.
    """
    pos = _layout(graph)
    n_leaves = sum(1 for n in graph if graph.out_degree(n) == 0)
    depth = max(x for x, _ in pos.values()) + 1
    col_w, box_w = 3.6, 3.3
    fig = Figure(figsize=(max(8.0, depth * col_w + 0.6), max(3.0, 0.42 * n_leaves + 1.4)))
    ax = fig.add_axes((0.01, 0.01, 0.98, 0.9 if estimated else 0.93))
    ax.set_xlim(-0.1, depth * col_w)
    ax.set_ylim(n_leaves - 0.4, -0.6)
    ax.axis("off")

    def anchor(node: str) -> tuple[float, float]:
        x, y = pos[node]
        return x * col_w, y

    for u, v in graph.edges:
        (x0, y0), (x1, y1) = anchor(u), anchor(v)
        xm = x1 - 0.15
        ax.plot([x0 + box_w, xm, xm, x1], [y0, y0, y1, y1], color="#7f7f7f", lw=0.8)
    for node, a in graph.nodes(data=True):
        x, y = anchor(node)
        colour = _COLOURS[a["category"]] if a["kind"] == "position" else _COLOURS[a["kind"]]
        ax.add_patch(
            FancyBboxPatch(
                (x, y - 0.32), box_w, 0.64,
                boxstyle="round,pad=0.0,rounding_size=0.08",
                facecolor=colour, edgecolor="#404040", lw=0.6,
            )
        )  # fmt: skip
        dark = a["kind"] in ("unit", "body")
        have = f" / có {a['pooled']}" if "pooled" in a else ""
        text = f"{a['label']}  ({a['headcount']}{have})"
        ax.text(
            x + 0.08, y, text, va="center", ha="left", fontsize=7.5,
            color="white" if dark else "black", fontdict=_FONT, clip_on=True,
        )  # fmt: skip
    _draw_titles(fig, title or graph.nodes[ROOT]["label"], estimated=estimated)
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(out) as tmp:  # a failed write leaves an earlier chart as it was
        fig.savefig(tmp, dpi=dpi, format=out.suffix.lstrip(".") or "png")
    logger.info("org chart written to %s (%d positions)", out, n_leaves)
    return out


def _draw_titles(fig: Figure, head: str, *, estimated: bool) -> None:
    """Write the chart title, the "estimated" stamp and the colour legend on ``fig``."""
    fig.suptitle(head, fontsize=11, fontweight="bold", fontfamily=["sans-serif"], y=0.985)
    if estimated:
        fig.text(
            0.5, 0.935, "SỐ LIỆU ƯỚC TÍNH (danh sách giả lập)", ha="center", fontsize=9,
            color="#c00000", fontfamily=["sans-serif"],
        )  # fmt: skip
    x0 = 0.01
    for cat in ("cadre", "civil_servant", "part_time"):
        fig.text(x0, 0.004, "■", fontsize=9, color=_COLOURS[cat], fontfamily=["sans-serif"])
        label = fig.text(x0 + 0.012, 0.006, CATEGORY_LABELS_VI[cat], fontsize=7, fontfamily=["sans-serif"])
        x0 += 0.03 + 0.0065 * len(label.get_text())
    fig.text(x0, 0.006, "(số trong ngoặc: định mức / có: số hiện có)", fontsize=7, fontfamily=["sans-serif"])
