"""The small text format the documents' prose is written in (``resources/examples/source``).

A file is a sequence of *blocks* separated by blank lines; lines starting with ``%`` are
comments. A block is one of:

- a paragraph: its lines joined with a space (a line ending in ``<br/>`` joins without one);
- a heading: ``# text`` (h1), ``## text`` (h2), ``### text`` (h3);
- a list: every item starts with ``- `` (bullets) or ``1. `` (numbered);
- a directive: ``@name arguments`` on the first line, then the block's other lines as its body.

In every body, a line starting with whitespace continues the line before it (joined with a
space). Arguments are words; ``key=value`` words are options.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_HEADING = re.compile(r"^(#{1,3}) (.*)$")
_ITEM = re.compile(r"^(?:- |\d+\. )")


@dataclass
class Block:
    """One block: ``kind`` is ``para``, ``list`` or a directive's name."""

    kind: str
    args: str = ""
    lines: list[str] = field(default_factory=list)
    style: str = "body"
    numbered: bool = False

    @property
    def words(self) -> list[str]:
        return [w for w in self.args.split() if "=" not in w]

    def option(self, key: str, default: str = "") -> str:
        for word in self.args.split():
            name, sep, value = word.partition("=")
            if sep and name == key:
                return value
        return default

    @property
    def text(self) -> str:
        """The arguments and body lines as one paragraph."""
        return join_lines(([self.args] if self.args else []) + self.lines)

    def cells(self) -> list[list[str]]:
        """The body lines split at `` | `` (table rows, field specs …)."""
        return [[cell.strip() for cell in line.split(" | ")] for line in self.lines]


def join_lines(lines: list[str]) -> str:
    out = ""
    for line in lines:
        if out and not out.endswith("<br/>"):
            out += " "
        out += line
    return out


def _logical_lines(raw: list[str]) -> list[str]:
    """Lines with continuation lines (starting with whitespace) joined to the one before."""
    out: list[str] = []
    for line in raw:
        if line[:1].isspace() and out:
            out[-1] = join_lines([out[-1], line.strip()])
        else:
            out.append(line.rstrip())
    return out


def _block(raw: list[str]) -> Block:
    first = raw[0]
    if first.startswith("@"):
        name, _, args = first[1:].partition(" ")
        return Block(name, args.strip(), _logical_lines(raw[1:]))
    heading = _HEADING.match(first)
    if heading:
        level = len(heading.group(1))
        return Block("para", lines=[heading.group(2), *(r.strip() for r in raw[1:])],
                     style=f"h{level}")
    if _ITEM.match(first):
        items = [_ITEM.sub("", line) for line in _logical_lines(raw)]
        return Block("list", lines=items, numbered=first[0].isdigit())
    return Block("para", lines=[r.strip() for r in raw])


def parse(text: str) -> list[Block]:
    """The blocks of ``text`` (placeholders already filled)."""
    blocks: list[Block] = []
    current: list[str] = []
    for line in [*text.splitlines(), ""]:
        if line.startswith("%"):
            continue
        if line.strip():
            current.append(line)
        elif current:
            blocks.append(_block(current))
            current = []
    return blocks
