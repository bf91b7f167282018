"""The seed diagram as data: its nodes and arrows, parsed from the Mermaid source."""

from __future__ import annotations

import re
from pathlib import Path

DIAGRAM = Path(__file__).resolve().parents[2] / "docs" / "seed-architecture.mmd"

_NODE = re.compile(r"^\s*([A-Z][A-Z0-9_]*)\s*[\[\(]")
_EDGE = re.compile(r"^\s*([A-Z][A-Z0-9_]*)\s*-->\s*([A-Z][A-Z0-9_]*)\s*$")


def parse(text: str) -> tuple[set[str], set[tuple[str, str]]]:
    nodes: set[str] = set()
    edges: set[tuple[str, str]] = set()
    for line in text.splitlines():
        if line.strip().startswith(("%%", "class ", "classDef", "subgraph", "graph")):
            continue
        if edge := _EDGE.match(line):
            edges.add((edge.group(1), edge.group(2)))
        elif node := _NODE.match(line):
            nodes.add(node.group(1))
    return nodes, edges


def seed() -> tuple[set[str], set[tuple[str, str]]]:
    return parse(DIAGRAM.read_text())
