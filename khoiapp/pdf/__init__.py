"""PDF rendering of the dossier (pages only; attachments and signing are added afterwards)."""

from __future__ import annotations

from khoiapp.pdf.render import RenderInfo, render_dossier

__all__ = ["RenderInfo", "render_dossier"]
