"""Reading the module matrix back out of our QR SVG (test helper).

The SVG draws each dark run as a horizontal stroke: `M x y.5` starts, `h n`
draws n modules, `m dx dy` moves. Rebuilding the matrix and comparing it with
segno's encoding of the otpauth URI proves the picture shows that URI.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

SVG_NS = "{http://www.w3.org/2000/svg}"


def matrix_from_svg(svg: str) -> list[list[bool]]:
    root = ET.fromstring(svg)  # raises on anything that is not well-formed XML
    assert root.tag == f"{SVG_NS}svg"
    _, _, width, height = (int(v) for v in root.attrib["viewBox"].split())
    assert width == height
    path = root.find(f"{SVG_NS}path")
    assert path is not None
    grid = [[False] * width for _ in range(height)]
    x = y = 0.0
    for command, args in re.findall(r"([MmHh])([^MmHh]*)", path.attrib["d"]):
        numbers = [float(n) for n in args.replace(",", " ").split()]
        if command in "Mm":
            x, y = (numbers[0], numbers[1]) if command == "M" else (x + numbers[0], y + numbers[1])
        else:
            length = numbers[0] if command == "h" else numbers[0] - x
            for column in range(int(x), int(x + length)):
                grid[int(y)][column] = True
            x += length
    return grid


def matrix_without_border(grid: list[list[bool]], border: int = 4) -> list[list[bool]]:
    return [row[border:-border] for row in grid[border:-border]]
