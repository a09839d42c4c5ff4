"""Generate flashpoint/web/static/world-110m.json, the country outlines of the dashboard's map, from the npm
package world-atlas (ISC licence; Natural Earth 1:110m data, public domain). Run it when the package
changes, then commit the output and the licence file beside it:

    python scripts/build_world_map.py                      # runs `npm pack world-atlas@2.0.2` in a temp dir
    python scripts/build_world_map.py --package DIR        # an unpacked package (its countries-110m.json)

The TopoJSON arcs are decoded here and every country becomes one SVG path in an equirectangular projection
with a viewBox of 0 0 360 180: x = longitude + 180, y = 90 - latitude, rounded to 0.1 degree. A ring that
crosses the antimeridian is split there, so no line runs across the map.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "flashpoint" / "web" / "static"
OUTPUT = STATIC / "world-110m.json"
LICENCE = STATIC / "world-atlas-LICENSE.txt"
PACKAGE = "world-atlas@2.0.2"

Point = tuple[float, float]


def unpack(package_dir: Path | None, work: Path) -> Path:
    """The folder of the unpacked package: `package_dir`, or one fetched with `npm pack`."""
    if package_dir is not None:
        return package_dir
    subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=work, check=True, capture_output=True)
    archive = next(work.glob("world-atlas-*.tgz"))
    with tarfile.open(archive) as tar:
        tar.extractall(work, filter="data")
    return work / "package"


def decode_arcs(topology: dict[str, Any]) -> list[list[Point]]:
    """Every arc as absolute (longitude, latitude) points (quantized, delta-encoded in the file)."""
    (scale_x, scale_y), (shift_x, shift_y) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)
    return arcs


def ring_points(ring: list[int], arcs: list[list[Point]]) -> list[Point]:
    """A ring from its arc indexes (a negative index ~i is arc i reversed); shared end points kept once."""
    points: list[Point] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def projected(point: Point) -> str:
    lon, lat = point
    return f"{lon + 180:.1f} {90 - lat:.1f}"


def ring_path(points: list[Point]) -> str:
    """The ring as SVG path commands; a jump of more than 180 degrees of longitude starts a new piece."""
    parts: list[str] = []
    previous: Point | None = None
    last = ""
    for point in points:
        command = "M" if previous is None or abs(point[0] - previous[0]) > 180 else "L"
        text = projected(point)
        if text != last or command == "M":
            parts.append(command + text)
        previous, last = point, text
    return "".join(parts) + "Z"


def country_paths(topology: dict[str, Any]) -> list[dict[str, str]]:
    arcs = decode_arcs(topology)
    countries = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        polygons = geometry.get("arcs") or []
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        path = "".join(ring_path(ring_points(ring, arcs)) for polygon in polygons for ring in polygon)
        if path:
            name = geometry.get("properties", {}).get("name", "")
            countries.append({"id": str(geometry.get("id", "")), "name": name, "d": path})
    return countries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--package", type=Path, help="an unpacked world-atlas package folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        folder = unpack(args.package, Path(work))
        topology = json.loads((folder / "countries-110m.json").read_text("utf-8"))
        version = json.loads((folder / "package.json").read_text("utf-8"))["version"]
        document = {
            "source": f"world-atlas {version} countries-110m (Natural Earth 1:110m, public domain; ISC licence)",
            "projection": "equirectangular: x = lon + 180, y = 90 - lat",
            "viewBox": [0, 0, 360, 180],
            "countries": country_paths(topology),
        }
        OUTPUT.write_text(json.dumps(document, separators=(",", ":"), ensure_ascii=False) + "\n", "utf-8")
        notice = (
            f"world-110m.json is derived from the npm package world-atlas {version} "
            "(https://github.com/topojson/world-atlas),\nwhose data come from Natural Earth "
            "(https://www.naturalearthdata.com/, public domain). The package's licence:\n\n"
        )
        LICENCE.write_text(notice + (folder / "LICENSE").read_text("utf-8"), "utf-8")
    print(f"{OUTPUT.relative_to(ROOT)}: {len(document['countries'])} countries, {OUTPUT.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
