#!/usr/bin/env python3
"""Builds migrations/seed/kingdom.json, the territory file `souk seed --territory` loads,
from the shared territory data (morocco.json and the OpenStreetMap outlines).

Usage: python3 migrations/seed/territory.py [DATA_DIR]   (default ../shared/data/territory)

- Outlines: the TopoJSON arcs are simplified once (Douglas-Peucker on each shared arc, so
  two neighbours keep the same border), rounded to 4 decimals (about 11 m), and each
  province ends with at most a few hundred points. Regions get a coarser outline for the
  Kingdom overview map.
- Seats: `sourced` seats are kept with their source; the 22 `inferred-eponymous` and 5
  `unsourced` seats were each confirmed with one public page (listed in CONFIRMED below,
  looked at on 2026-12-03); a province without a confirmed seat would fall back to a point
  inside its outline (`seat.status = "interior"`).
- Codes: the Fès-Meknès provinces keep the codes the demo has always used (fes, meknes...);
  other provinces and every region get a slug of their French name.
"""
import json
import math
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parents[2] / "shared" / "data" / "territory"

# The demo's own codes for Fès-Meknès (URLs, tests and seeds use them).
DEMO_CODES = {
    "MA-FES": "fes", "MA-MEK": "meknes", "MA-BOM": "boulemane", "MA-HAJ": "el-hajeb",
    "MA-IFR": "ifrane", "MA-MOU": "moulay-yacoub", "MA-SEF": "sefrou", "MA-TAO": "taounate",
    "MA-TAZ": "taza",
}

# Seats the data did not source, each confirmed on one public page (2026-12-03).
# iso: (seat_fr, seat_ar, lat, lon, page) — lat/lon None: the data's inferred point.
CONFIRMED = {
    "MA-DRI": (None, None, None, None, "https://fr.wikipedia.org/wiki/Driouch"),
    "MA-GUF": (None, None, None, None, "https://fr.wikipedia.org/wiki/Guercif"),
    "MA-HAJ": (None, None, None, None, "http://www.region-fes-meknes.ma/provinces/el-hajeb/"),
    "MA-IFR": (None, None, None, None, "http://www.tourisme.gov.ma/fr/node/194"),
    "MA-SEF": (None, None, None, None, "http://fr.wikipedia.org/wiki/S%C3%A9frou"),
    "MA-SAL": (None, None, None, None, "https://www.wikiwand.com/fr/articles/Pr%C3%A9fecture_de_Sal%C3%A9"),
    "MA-SKH": ("Témara", "تمارة", 33.92667, -6.91222, "https://fr.wikipedia.org/wiki/T%C3%A9mara"),
    "MA-KHE": (None, None, None, None, "http://fr.wikipedia.org/wiki/Province_de_Kh%C3%A9misset"),
    "MA-SIL": (None, None, None, None, "http://fr.wikipedia.org/wiki/Sidi_Slimane_(Maroc)"),
    "MA-CHI": (None, None, None, None, "https://es.frwiki.wiki/wiki/Province_de_Chichaoua"),
    "MA-KES": (None, None, None, None, "https://franco.wiki/fr/Province_d'El_Kela%C3%A2_des_Sraghna.html"),
    "MA-ESI": (None, None, None, None, "https://s.gtool.pro/https/fr.m.wikipedia.org/wiki/Province_d%27Essaouira"),
    "MA-REH": ("Ben Guerir", "ابن جرير", 32.23333, -7.95, "https://fr.wikipedia.org/wiki/Province_de_Rehamna"),
    "MA-YUS": (None, None, None, None, "https://it.frwiki.wiki/wiki/Youssoufia_%28Maroc%29"),
    "MA-ZAG": (None, None, None, None, "http://fr.wikipedia.org/wiki/Province_de_Zagora"),
    "MA-INE": ("Inezgane", "إنزكان", 30.35, -9.53333, "http://fr.wikipedia.org/wiki/Pr%C3%A9fecture_d'Inezgane-A%C3%AFt_Melloul"),
    "MA-TAR": (None, None, None, None, "https://fr.wikipedia.org/?curid=3169169"),
    "MA-TIZ": (None, None, None, None, "http://fr.wikipedia.org/wiki/Taghassine"),
    "MA-TAT": (None, None, None, None, "https://kampuspedia.com/fr/Tata_(Maroc)"),
    "MA-ASZ": ("Assa", "آسا", 28.60861, -9.42694, "https://it.frwiki.wiki/wiki/Assa_%28ville%29"),
    "MA-SIF": (None, None, None, None, "https://fr.wikipedia.org/wiki/Province_de_Sidi_Ifni"),
    "MA-LAA": (None, None, None, None, "https://franco.wiki/fr/Province_de_La%C3%A2youne.html"),
    "MA-BOD": (None, None, None, None, "http://www.jedessine.com/wiki/Boujdour"),
    "MA-TAF": (None, None, 27.93944, -12.92611, "http://fr.wikipedia.org/wiki/Province_de_Tarfaya"),
    "MA-ESM": (None, None, None, None, "http://larousse.fr/encyclopedie/ville/Smara/182297"),
    "MA-OUD": ("Dakhla", "الداخلة", 23.71667, -15.95, "https://gpedia.com/fr/Dakhla-Oued_Ed_Dahab"),
    "MA-AOU": (None, None, None, None, "https://simple.wikipedia.org/wiki/Dakhla-Oued_ad_Dahab"),
}

PROVINCE_TOLERANCE = 0.008  # degrees, about 800 m
REGION_TOLERANCE = 0.04
MAX_PROVINCE_POINTS = 400


def slug(name):
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    out = []
    for c in folded:
        if c in "'’":
            continue
        if c.isalnum():
            out.append(c)
        elif out and out[-1] != "-":
            out.append("-")
    return "".join(out).strip("-")


def decode_arcs(topo):
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def douglas_peucker(points, tolerance):
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        norm = math.hypot(dx, dy)
        best, index = 0.0, None
        for i in range(first + 1, last):
            px, py = points[i]
            if norm == 0:
                d = math.hypot(px - x1, py - y1)
            else:
                d = abs(dy * px - dx * py + x2 * y1 - y2 * x1) / norm
            if d > best:
                best, index = d, i
        if index is not None and best > tolerance:
            keep[index] = True
            stack.append((first, index))
            stack.append((index, last))
    return [p for p, k in zip(points, keep) if k]


def ring(arc_indices, arcs):
    out = []
    for index in arc_indices:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        out.extend(arc if not out else arc[1:])
    out = [(round(x, 4), round(y, 4)) for x, y in out]
    deduped = [out[0]]
    for p in out[1:]:
        if p != deduped[-1]:
            deduped.append(p)
    if deduped[0] != deduped[-1]:
        deduped.append(deduped[0])
    return [list(p) for p in deduped]


def ring_area(r):
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(r, r[1:]))) / 2


def outlines(path, tolerance):
    topo = json.loads(Path(path).read_text())
    arcs = [douglas_peucker(a, tolerance) for a in decode_arcs(topo)]
    (objects,) = topo["objects"].values()
    result = {}
    for geometry in objects["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        shapes = []
        for polygon in polygons:
            rings = [ring(r, arcs) for r in polygon]
            # Slivers a simplification leaves (under 4 points or no area) are dropped.
            rings = [r for r in rings if len(r) >= 4 and ring_area(r) > 1e-6]
            if rings:
                shapes.append(rings)
        result[geometry["id"]] = shapes
    return result


def points(shapes):
    return sum(len(r) for polygon in shapes for r in polygon)


def inside(lat, lon, shapes):
    def in_ring(r):
        hit = False
        for (x1, y1), (x2, y2) in zip(r, r[1:]):
            if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
                hit = not hit
        return hit

    return any(in_ring(p[0]) and not any(in_ring(h) for h in p[1:]) for p in shapes)


def main():
    data = json.loads((DATA / "morocco.json").read_text())
    provinces = outlines(DATA / "provinces.topo.json", PROVINCE_TOLERANCE)
    regions = outlines(DATA / "regions.topo.json", REGION_TOLERANCE)
    out_regions = []
    for r in data["regions"]:
        out_provinces = []
        for p in r["provinces"]:
            iso = p["iso"]
            shapes = provinces[iso]
            assert points(shapes) <= MAX_PROVINCE_POINTS, (iso, points(shapes))
            if p["seat_status"] == "sourced":
                seat = {"fr": p["seat_fr"], "ar": p["seat_ar"], "lat": p["lat"], "lon": p["lon"],
                        "status": "sourced",
                        "source": "+".join(p["seat_sources"]) + " / coordinates " + p["coord_source"]["dataset"]}
            else:
                fr, ar, lat, lon, page = CONFIRMED[iso]
                inferred = p.get("inferred") or {}
                seat = {"fr": fr or inferred.get("seat_fr"), "ar": ar or inferred.get("seat_ar"),
                        "lat": lat if lat is not None else inferred.get("lat"),
                        "lon": lon if lon is not None else inferred.get("lon"),
                        "status": "confirmed", "source": page}
            assert inside(seat["lat"], seat["lon"], shapes), (iso, seat)
            out_provinces.append({
                "code": DEMO_CODES.get(iso, slug(p["name_fr"])), "iso": iso, "census": p["code"],
                "kind": p["kind"], "name_fr": p["name_fr"], "name_ar": p["name_ar"],
                "name_en": p["name_en"] or p["name_fr"], "seat": seat, "outline": shapes,
            })
        out_regions.append({
            "code": slug(r["name_fr"]), "iso": r["iso"], "census": r["code"],
            "name_fr": r["name_fr"], "name_ar": r["name_ar"], "name_en": r["name_en"] or r["name_fr"],
            "outline": regions[r["iso"]], "provinces": out_provinces,
        })
    kingdom = {
        "licence": "Names, codes and seats: HCP RGPH 2024 (CC BY 4.0), ISO 3166-2, GeoNames (CC BY 4.0); "
                   "outlines © OpenStreetMap contributors (ODbL).",
        "regions": out_regions,
    }
    target = HERE / "kingdom.json"
    target.write_text(json.dumps(kingdom, ensure_ascii=False, separators=(",", ":")) + "\n")
    total = sum(points(p["outline"]) for r in out_regions for p in r["provinces"])
    worst = max((points(p["outline"]), p["code"]) for r in out_regions for p in r["provinces"])
    print(f"{target}: {target.stat().st_size} bytes, {len(out_regions)} regions, "
          f"{sum(len(r['provinces']) for r in out_regions)} provinces, {total} province points "
          f"(most: {worst[1]} {worst[0]}), region points {sum(points(r['outline']) for r in out_regions)}")


if __name__ == "__main__":
    main()
