"""Small custom flowables: centred rules, outline markers, the signature space."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reportlab.platypus import Flowable


class Rule(Flowable):
    """A horizontal line of a given width, centred in the available width (header rules)."""

    def __init__(self, width: float, *, thickness: float = 0.6, space_before: float = 3.5,
                 space_after: float = 2) -> None:
        super().__init__()
        self.rule_width = width
        self.thickness = thickness
        self.space_before = space_before
        self.space_after = space_after
        self._avail = width

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self._avail = availWidth
        return availWidth, self.space_before + self.thickness + self.space_after

    def draw(self) -> None:
        w = min(self.rule_width, self._avail)
        x = (self._avail - w) / 2
        y = self.space_after + self.thickness / 2
        self.canv.setLineWidth(self.thickness)
        self.canv.line(x, y, x + w, y)


class OutlineMark(Flowable):
    """A zero-size marker: the template adds an outline entry at the page it lands on."""

    def __init__(self, title: str, key: str, level: int) -> None:
        super().__init__()
        self.outline = (title, key, level)
        self.width = self.height = 0
        # Part of the heading that follows: never the reason a heading is left at a page's foot.
        self.keepWithNext = 1

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return 0, 0

    def draw(self) -> None:
        pass


@dataclass
class SignatureRecord:
    """Where the signature space was drawn: 0-based page and (x1, y1, x2, y2) in points."""

    box: tuple[int, tuple[float, float, float, float]] | None = None
    boxes: list[tuple[int, tuple[float, float, float, float]]] = field(default_factory=list)


class SignatureSpace(Flowable):
    """Empty room for a signature; notes its absolute position for a visible digital signature."""

    def __init__(self, width: float, height: float, record: SignatureRecord | None) -> None:
        super().__init__()
        self.box_width = width
        self.height = height
        self.record = record
        self._avail = width

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self._avail = availWidth
        return availWidth, self.height

    def draw(self) -> None:
        if self.record is None:
            return
        w = min(self.box_width, self._avail)
        x0 = (self._avail - w) / 2
        x1, y1 = self.canv.absolutePosition(x0, 0)
        x2, y2 = self.canv.absolutePosition(x0 + w, self.height)
        page = self.canv.getPageNumber() - 1
        entry = (page, (round(x1, 2), round(y1, 2), round(x2, 2), round(y2, 2)))
        self.record.boxes.append(entry)
        if self.record.box is None:
            self.record.box = entry


@dataclass
class LayoutRecord:
    """Where things landed in one layout pass (1-based pages), for the next pass to print.

    ``starts``: document key → first page; ``evidence``: evidence code → first appendix page;
    ``total``: page count.
    """

    starts: dict[str, int] = field(default_factory=dict)
    evidence: dict[str, int] = field(default_factory=dict)
    total: int = 0


class DocumentStart(Flowable):
    """A zero-size marker: a new document of the dossier starts on this page (its own page numbers).

    ``label``: the prefix of its pages' labels (``/PageLabels``), so a viewer's page box shows
    “BC-3” for the report's page 3 rather than the dossier's page 41.
    """

    def __init__(self, key: str, label: str = "") -> None:
        super().__init__()
        self.key = key
        self.label = label
        self.width = self.height = 0
        self.keepWithNext = 1

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return 0, 0

    def draw(self) -> None:
        pass


class LateText(Flowable):
    """One line of text known only once the whole document is laid out (a page number or count).

    It is drawn as a reference to a form XObject that the template defines after the last page
    (``Canvas.doForm`` allows that), so the document is laid out once. The line takes the height
    of one line of ``size`` points; ``align`` is ``left``, ``centre`` or ``right`` in the width the
    flowable is given.
    """

    def __init__(self, name: str, font: str, size: float, *, align: str = "centre", leading: float = 0) -> None:
        super().__init__()
        self.name = name
        self.font = font
        self.size = size
        self.align = align
        self.leading = leading or size * 1.2
        self._avail = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self._avail = availWidth
        return availWidth, self.leading

    def draw(self) -> None:
        x = {"left": 0.0, "right": self._avail}.get(self.align, self._avail / 2)
        self.canv.saveState()
        self.canv.translate(x, self.leading - self.size)  # the baseline, as a paragraph's first line
        self.canv.doForm(self.name)
        self.canv.restoreState()


def define_late_text(canv: object, name: str, text: str, font: str, size: float, align: str) -> None:
    """Define the form a :class:`LateText` refers to, once ``text`` is known."""
    c: Any = canv
    c.beginForm(name, lowerx=-500, lowery=-size, upperx=500, uppery=2 * size)
    c.setFont(font, size)
    if align == "left":
        c.drawString(0, 0, text)
    elif align == "right":
        c.drawRightString(0, 0, text)
    else:
        c.drawCentredString(0, 0, text)
    c.endForm()
