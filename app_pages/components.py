"""Offline Plotly maps and small shared widgets for the pages.

Maps are ``go.Choropleth`` traces on a GeoJSON with no tiles and the base map hidden
(``geo.visible=False``). Plotly.js still fetches its world topojson
(``https://cdn.plot.ly/un/world_110m.json``) for any geo subplot, even a hidden one. The
``topojsonURL`` config is therefore set to a ``data:`` URL holding an empty topology and ending
in ``#``: Plotly appends ``world_110m.json`` after the ``#`` (a fragment, ignored), so the
topology is read from the page itself and no request is made at all.
"""

from __future__ import annotations

import base64
import html
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

_EMPTY_TOPOLOGY = {
    "type": "Topology",
    "arcs": [],
    "objects": {
        k: {"type": "GeometryCollection", "geometries": []}
        for k in ("coastlines", "land", "ocean", "lakes", "rivers", "countries", "subunits")
    },
}
#: ``data:`` URL of the empty topology; the trailing ``#`` turns Plotly's file name into a fragment.
TOPOJSON_URL = (
    "data:application/json;base64," + base64.b64encode(json.dumps(_EMPTY_TOPOLOGY).encode()).decode() + "#"
)

#: Plotly config: no logo, no cloud buttons, the in-page topology (no CDN request).
PLOTLY_CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "topojsonURL": TOPOJSON_URL,
    "modeBarButtonsToRemove": ["toImage", "sendDataToCloud"],
    "scrollZoom": True,
}


def map_figure(
    geojson: Mapping[str, Any],
    frame: pd.DataFrame,
    *,
    category: str,
    colours: Mapping[Any, str],
    labels: Mapping[Any, str] | None = None,
    hover: str = "hover",
    lines: Sequence[tuple[Any, ...]] = (),
    labels_at: pd.DataFrame | None = None,
    extent: tuple[float, float, float, float] | None = None,
    height: int = 560,
    title: str | None = None,
    show_legend: bool = True,
) -> go.Figure:
    """Return a categorical choropleth of ``frame`` on ``geojson``.

    Parameters
    ----------
    geojson : mapping
        FeatureCollection whose feature ids are ``frame["code"]``.
    frame : pandas.DataFrame
        Columns ``code``, ``category`` and ``hover`` (HTML hover text).
    category : str
        Column with the category of each unit (one trace per category).
    colours : mapping
        Category -> colour.
    labels : mapping, optional
        Category -> legend label.
    hover : str
        Column with the hover text.
    lines : sequence of (lons, lats, colour, width[, legend label])
        Extra outlines (e.g. new-unit boundaries) drawn on top, NaN (or ``None``) separating parts; with
        a label the outline gets a legend entry.
    labels_at : pandas.DataFrame, optional
        Columns ``lon, lat, text``: names written on the map.
    extent : (minx, miny, maxx, maxy), optional
        Fixed map extent (same for every map of a comparison); default fit to the units.
    height, title, show_legend
        Pixels; optional title; legend of the categories.

    Returns
    -------
    plotly.graph_objects.Figure
    """
    fig = go.Figure()
    features = {f["id"]: f for f in geojson["features"]}
    for cat, colour in colours.items():
        sub = frame[frame[category] == cat]
        if sub.empty:
            continue
        name = (labels or {}).get(cat, str(cat))
        # each trace carries only its own polygons (the page stays light)
        sub_geojson = {
            "type": "FeatureCollection",
            "features": [features[c] for c in sub["code"].astype(str) if c in features],
        }
        fig.add_trace(
            go.Choropleth(
                geojson=sub_geojson,
                featureidkey="id",
                locations=sub["code"].astype(str).tolist(),
                z=[1] * len(sub),
                colorscale=[[0, colour], [1, colour]],
                showscale=False,
                marker_line_color="white",
                marker_line_width=0.6,
                text=sub[hover].tolist(),
                hovertemplate="%{text}<extra></extra>",
                selected={"marker": {"opacity": 1.0}},
                unselected={"marker": {"opacity": 1.0}},
                name=name,
                showlegend=show_legend,
                legendgroup=str(cat),
            )
        )
    _add_overlays(fig, lines, labels_at)
    _layout(fig, extent=extent, height=height, title=title)
    return fig


def _layout(
    fig: go.Figure, *, extent: tuple[float, float, float, float] | None, height: int, title: str | None
) -> None:
    """Fit the map to ``extent`` (its shape kept) or to the units; no base map, no drag."""
    if extent is None:
        fig.update_geos(fitbounds="locations", visible=False)
    else:
        minx, miny, maxx, maxy = extent
        padx, pady = (maxx - minx) * 0.02, (maxy - miny) * 0.02
        fig.update_geos(
            visible=False,
            projection_type="mercator",
            lonaxis_range=[minx - padx, maxx + padx],
            lataxis_range=[miny - pady, maxy + pady],
        )
    fig.update_layout(
        height=height,
        margin={"l": 0, "r": 0, "t": 30 if title else 0, "b": 0},
        title={"text": title} if title else None,
        legend={"orientation": "h", "y": -0.02, "x": 0, "font": {"size": 13}},
        dragmode=False,
        clickmode="event+select",
    )


def _add_overlays(fig: go.Figure, lines: Sequence[tuple[Any, ...]], labels_at: pd.DataFrame | None) -> None:
    """Add outlines (with a legend entry when labelled) and written names to a map figure."""
    for lons, lats, colour, width, *name in lines:
        if not len(lons):
            continue
        fig.add_trace(
            go.Scattergeo(
                lon=lons,
                lat=lats,
                mode="lines",
                line={"color": colour, "width": width},
                hoverinfo="skip",
                name=name[0] if name else None,
                showlegend=bool(name),
            )
        )
    if labels_at is not None and len(labels_at):
        fig.add_trace(
            go.Scattergeo(
                lon=labels_at["lon"].tolist(),
                lat=labels_at["lat"].tolist(),
                text=labels_at["text"].tolist(),
                mode="text",
                textfont={"size": 10, "color": "#111111"},
                hoverinfo="skip",
                showlegend=False,
            )
        )


def show_map(
    fig: go.Figure, *, key: str, selectable: bool = False, on_select: Callable[[], None] | None = None
) -> list[str]:
    """Render a map; return the codes clicked or selected (empty unless selectable).

    Parameters
    ----------
    fig : plotly.graph_objects.Figure
        From :func:`map_figure`.
    key : str
        Widget key (unique per page).
    selectable : bool
        Rerun the page on a click and return the clicked units.
    on_select : callable, optional
        Called (before the rerun) only when the selection changes; it reads
        ``st.session_state[key]``. Implies ``selectable``.

    Returns
    -------
    list of str
    """
    if not selectable and on_select is None:
        st.plotly_chart(fig, key=key, config=PLOTLY_CONFIG, width="stretch")
        return []
    event = st.plotly_chart(
        fig,
        key=key,
        config=PLOTLY_CONFIG,
        width="stretch",
        on_select=on_select or "rerun",
        selection_mode=("points",),
    )
    points = (event or {}).get("selection", {}).get("points", []) if event else []
    return [str(p["location"]) for p in points if isinstance(p, Mapping) and p.get("location")]


#: Problems written in the alert itself; the rest are listed below it, folded away.
SHOWN_PROBLEMS = 5


def problem_list(title: str, problems: Iterable[str], *, kind: str = "error") -> None:
    """Show a titled list of problems (every one, not only the first).

    The first :data:`SHOWN_PROBLEMS` are written in the alert; a longer list continues in a
    folded panel as plain HTML (a Markdown list of a hundred items is slow to draw).
    """
    from sapxep.app_pages.state import t

    items = list(problems)
    head = items[:SHOWN_PROBLEMS]
    body = f"**{title}**" + ("\n\n" + "\n".join(f"- {p}" for p in head) if head else "")
    (st.error if kind == "error" else st.warning)(body)
    rest = items[SHOWN_PROBLEMS:]
    if rest:
        with st.expander(t("more_problems", n=len(rest))):
            st.html("<ul style='margin:0'>" + "".join(f"<li>{html.escape(p)}</li>" for p in rest) + "</ul>")


def static_table(frame: pd.DataFrame) -> None:
    """Show a small read-only table (index as the first column) as plain HTML.

    Lighter in the browser than ``st.table``, which draws every cell as Markdown.
    """
    from sapxep.scenarios.app.tables import html_table

    st.html(html_table(frame))


def show_error(exc: Exception, lang: str, *, kind: str = "error") -> None:
    """Show a project error in words (title, advice) with its technical details folded away."""
    from sapxep.scenarios.app.explain import explain
    from sapxep.scenarios.messages import tr

    e = explain(exc, lang)
    (st.error if kind == "error" else st.warning)(f"**{e.title}**\n\n{e.advice}")
    with st.expander(tr("err_details", lang)):
        st.code("\n".join(e.details), language=None)


def legend(items: Iterable[tuple[str, str]]) -> None:
    """Show a one-line legend of coloured outline samples: (colour, label) pairs."""
    html = " &nbsp; ".join(
        f'<span style="display:inline-block;width:22px;height:0;border-top:3px solid {c};'
        f'vertical-align:middle;margin-right:4px"></span>{label}'
        for c, label in items
    )
    st.markdown(f'<div style="font-size:0.9rem">{html}</div>', unsafe_allow_html=True)
