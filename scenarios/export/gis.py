"""GIS exports of a scenario: GeoPackage, GeoJSON, zipped Shapefile, KML — with lineage.

Every format carries the old → new code lineage:

* GeoPackage: layers ``new_units`` (``members`` = old codes), ``units`` (each old unit with
  its ``new_unit``, ``new_name``, ``seat_code``, ``is_seat``) and the attribute table
  ``lineage`` (``old_code, old_name, new_unit, new_name, relation``).
* GeoJSON: the ``new_units`` features with ``members`` and ``member_names``.
* Shapefile (zip): ``new_units.shp``, ``units.shp`` (10-character field names, UTF-8
  ``.cpg``) and ``lineage.csv``.
* KML (GDAL's KML driver through pyogrio): one placemark per new unit, named with its full
  name, with the members in the description and as extended data.
"""

from __future__ import annotations

import logging
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio

from sapxep.scenarios.csvfile import write_csv
from sapxep.scenarios.messages import label

logger = logging.getLogger(__name__)

GIS_FORMATS = ("gpkg", "geojson", "shp", "kml")


def lineage_table(units: pd.DataFrame, plan: Any) -> pd.DataFrame:
    """Return the old → new lineage: one row per original unit.

    Returns
    -------
    pandas.DataFrame
        ``old_code, old_name, parent_name, new_unit, new_name, seat_code, is_seat,
        n_members, relation`` where ``relation`` is ``unchanged`` (alone), ``seat``
        (keeps the seat of a merged unit) or ``merged_into``.
    """
    codes = units["code"].astype(str)
    names = dict(zip(codes, units["name"].astype(str), strict=True))
    assignment = plan.assignment.astype(str)
    size = assignment.map(assignment.value_counts())
    rows = []
    for code in codes:
        g = assignment[code]
        seat = plan.seats.get(g, "")
        n = int(size[code])
        rel = "unchanged" if n == 1 else ("seat" if seat == code else "merged_into")
        rows.append(
            {
                "old_code": code,
                "old_name": names[code],
                "parent_name": str(units.loc[codes == code, "parent_name"].iloc[0])
                if "parent_name" in units
                else "",
                "new_unit": g,
                "new_name": plan.names.get(g) or names.get(seat, "") or g,
                "seat_code": seat,
                "is_seat": seat == code,
                "n_members": n,
                "relation": rel,
            }
        )
    return pd.DataFrame(rows)


def _layers(workspace: Any, name: str) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, pd.DataFrame]:
    sc = workspace.load(name)
    units = workspace.units(sc.info.dataset)
    lin = lineage_table(units, sc.plan)
    names = dict(zip(units["code"].astype(str), units["name"].astype(str), strict=True))
    nu = sc.new_units.copy()
    nu.insert(0, "scenario", name)
    nu["member_names"] = ["; ".join(names.get(c, c) for c in str(m).split(";")) for m in nu["members"]]
    keep = ["code", "name", "unit_type", "parent_code", "parent_name", "area_km2", "population"]
    old = units[[c for c in keep if c in units.columns] + ["geometry"]].copy()
    old = old.merge(
        lin[["old_code", "new_unit", "new_name", "seat_code", "is_seat", "relation"]],
        left_on="code", right_on="old_code", how="left",
    ).drop(columns="old_code")  # fmt: skip
    old = gpd.GeoDataFrame(old, geometry="geometry", crs=units.crs)
    old.insert(0, "scenario", name)
    return nu, old, lin


def _write_gpkg(nu: gpd.GeoDataFrame, old: gpd.GeoDataFrame, lin: pd.DataFrame, out: Path) -> None:
    # GeoPackage 1.2: readable by older GDAL (QGIS LTR, Debian ogrinfo) without warnings
    pyogrio.write_dataframe(nu, out, layer="new_units", driver="GPKG", dataset_options={"VERSION": "1.2"})
    pyogrio.write_dataframe(old, out, layer="units", driver="GPKG", append=True)
    pyogrio.write_dataframe(lin, out, layer="lineage", driver="GPKG", append=True)


_SHP_NAMES = {
    "scenario": "scenario", "new_unit": "new_unit", "name": "name", "seat_code": "seat_code",
    "seat_name": "seat_name", "members": "members", "n_members": "n_members",
    "area_km2": "area_km2", "population": "population", "member_names": "mem_names",
    "code": "code", "unit_type": "unit_type", "parent_code": "parent", "parent_name": "parent_nm",
    "new_name": "new_name", "is_seat": "is_seat", "relation": "relation",
}  # fmt: skip


def _write_shp_zip(nu: gpd.GeoDataFrame, old: gpd.GeoDataFrame, lin: pd.DataFrame, out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        for layer, gdf in (("new_units", nu), ("units", old)):
            g = gdf.rename(columns=_SHP_NAMES)
            if "is_seat" in g:
                g["is_seat"] = g["is_seat"].astype(int)
            pyogrio.write_dataframe(g, d / f"{layer}.shp", driver="ESRI Shapefile",
                                    encoding="UTF-8")  # fmt: skip
        write_csv(d / "lineage.csv", lin)
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for f in sorted(d.iterdir()):
                zf.write(f, arcname=f.name)


def _write_kml(nu: gpd.GeoDataFrame, out: Path, lang: str) -> None:
    k = nu.copy()
    k["description"] = [
        f"{label('members', lang)}: {mn} ({m}). {label('seat', lang)}: {sn} ({sc}). "
        f"{label('population', lang)}: {p:,}. {label('area_km2', lang)}: {a:.2f}."
        for mn, m, sn, sc, p, a in zip(k["member_names"], k["members"], k["seat_name"],
                                       k["seat_code"], k["population"], k["area_km2"],
                                       strict=True)
    ]  # fmt: skip
    k = k.to_crs(4326)
    pyogrio.write_dataframe(k, out, layer="new_units", driver="KML",
                            dataset_options={"NameField": "name",
                                             "DescriptionField": "description"})  # fmt: skip


def output_crs(spec: str | None, gdf: gpd.GeoDataFrame) -> Any:
    """Return the CRS asked for by ``--crs`` (None: keep the stored WGS84).

    ``"vn2000"`` (any case) chooses VN-2000 / UTM 48N or 49N by the area's centre
    (:func:`sapxep.geodata.crs.metric_crs`); anything else is read by pyproj (``EPSG:3405``,
    ``3406``, a WKT or PROJ string).

    Raises
    ------
    WorkspaceError
        If pyproj does not know ``spec``.
    """
    import pyproj

    from sapxep.geodata.crs import metric_crs
    from sapxep.units.errors import WorkspaceError

    if spec is None or not str(spec).strip():
        return None
    if str(spec).strip().lower() in ("vn2000", "vn-2000"):
        return metric_crs(gdf)
    try:
        return pyproj.CRS.from_user_input(spec.strip())
    except pyproj.exceptions.CRSError as exc:
        raise WorkspaceError(
            f"unknown coordinate system '{spec}' (--crs): use vn2000, EPSG:3405 (VN-2000 / UTM 48N), "
            f"EPSG:3406 (VN-2000 / UTM 49N), EPSG:4326 or another EPSG code ({exc})"
        ) from None


def export_gis(
    workspace: Any, name: str, out: str | Path, *, fmt: str, lang: str = "vi", crs: str | None = None
) -> Path:
    """Export a saved scenario as a GIS file.

    Parameters
    ----------
    workspace : Workspace
    name : str
        Scenario name.
    out : str or pathlib.Path
        Output file; replaced if it exists.
    fmt : {"gpkg", "geojson", "shp", "kml"}
    lang : {"vi", "en"}
        Language of the KML descriptions.
    crs : str, optional
        Coordinate system of gpkg/shp/geojson (see :func:`output_crs`); KML stays WGS84.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    ValueError
        If ``fmt`` is not a GIS format.
    """
    if fmt not in GIS_FORMATS:
        raise ValueError(f"GIS format must be one of {', '.join(GIS_FORMATS)}, not {fmt!r}")
    out = Path(out)
    if fmt == "shp" and out.suffix.lower() != ".zip":
        out = out.with_suffix(".zip")  # the shapefile layers travel together in one zip
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.exists():
        out.unlink()
    nu, old, lin = _layers(workspace, name)
    target = output_crs(crs, nu) if fmt != "kml" else None
    if target is not None:
        nu, old = nu.to_crs(target), old.to_crs(target)
    if fmt == "gpkg":
        _write_gpkg(nu, old, lin, out)
    elif fmt == "geojson":
        pyogrio.write_dataframe(nu if target is not None else nu.to_crs(4326), out, layer="new_units",
                                driver="GeoJSON")  # fmt: skip
    elif fmt == "shp":
        _write_shp_zip(nu, old, lin, out)
    else:
        _write_kml(nu, out, lang)
    logger.info("exported scenario '%s' as %s to %s", name, fmt, out)
    return out
