"""A structural check of the PDF/A-3b rules a dossier can break, read with pypdf.

No full PDF/A validator installs from the package registries this project uses (veraPDF is a Java
application that is not packaged there), so this checks, independently of the code that writes
them, the clauses of ISO 19005-3 (level B) that concern what the export produces: file header
and trailer ID, no encryption, XMP metadata (unfiltered, PDF/A identification, agreeing with the
document information dictionary), an RGB output intent with an ICC profile, every font embedded,
embedded files with MIME type, /Params /ModDate, an /AFRelationship and a place in the catalog's
/AF, no JavaScript or actions, annotations that print, no forbidden graphics-state entries.
Added: poppler's ``pdffonts`` (a second, independent parser) must list every font as embedded; no
stream uses the LZW filter (ISO 19005-2/3 6.1.7.2); no image or colour space is DeviceCMYK (the
output intent is RGB, 6.2.4.3); no page, annotation or form field has additional actions (/AA);
no optional-content configuration sets /AS; no embedded PostScript.

What it does not check (a full validator such as veraPDF would): the content streams' operators
(e.g. a device colour used in a content stream without a matching output intent, text rendering
mode 7 with unembedded fonts), font programs' internal consistency (glyph widths against the
font's own metrics, CIDToGIDMap, cmap coverage of every glyph used), ICC profile internals,
transparency-group colour spaces, XMP extension schemas and every metadata property's type, xref
and object syntax beyond what pypdf and poppler accept, and the limits of 6.1.13 (string lengths,
numbers, nesting).
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
}


def _pdf_date(text: str) -> dt.datetime | None:
    m = re.match(r"D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})([+-Z])?(\d{2})?'?(\d{2})?", text)
    if not m:
        return None
    y, mo, d, h, mi, s = (int(m.group(i)) for i in range(1, 7))
    sign = m.group(7) or "Z"
    offset = dt.timedelta(hours=int(m.group(8) or 0), minutes=int(m.group(9) or 0))
    tz = dt.timezone.utc if sign == "Z" else dt.timezone(offset if sign == "+" else -offset)
    return dt.datetime(y, mo, d, h, mi, s, tzinfo=tz)


def _xmp_value(desc: Any, path: str) -> str | None:
    """A property given as an element or, in the shorthand form, as an attribute."""
    prefix, local = path.split(":")
    attr = desc.get(f"{{{NS[prefix]}}}{local}")
    if attr is not None:
        return str(attr)
    node = desc.find(path, NS)
    if node is None:
        return None
    li = node.find(".//rdf:li", NS)
    return (li.text if li is not None else node.text) or ""


def pdfa3b_problems(path: Path) -> list[str]:
    """Every PDF/A-3b rule of those above the file breaks, as short lines (empty: none)."""
    problems: list[str] = []
    raw = path.read_bytes()
    if not re.match(rb"%PDF-1\.[4-7]\r?\n%[\x80-\xff]{4}", raw[:64]):
        problems.append("header: %PDF-1.n then a comment of four bytes ≥ 128 expected")
    reader = PdfReader(str(path))
    trailer = reader.trailer
    if "/Encrypt" in trailer:
        problems.append("encrypted")
    if "/ID" not in trailer:
        problems.append("trailer has no /ID")
    root = reader.trailer["/Root"].get_object()
    for key in ("/JavaScript",):
        names = root.get("/Names")
        if names is not None and key in names.get_object():
            problems.append("document JavaScript")
    if "/AA" in root or "/OpenAction" in root and "/JS" in str(root["/OpenAction"]):
        problems.append("catalog actions")

    # XMP metadata agreeing with the information dictionary
    meta = root.get("/Metadata")
    info = reader.metadata or {}
    if meta is None:
        problems.append("no /Metadata in the catalog")
    else:
        stream = meta.get_object()
        if "/Filter" in stream:
            problems.append("metadata stream is filtered")
        try:
            tree = ET.fromstring(stream.get_data().decode("utf-8").split("?>", 1)[1].rsplit("<?xpacket", 1)[0])
        except (ET.ParseError, UnicodeDecodeError, IndexError) as exc:
            problems.append(f"XMP does not parse: {exc}")
        else:
            desc = tree.find(".//rdf:Description", NS)
            if desc is None:
                problems.append("XMP has no rdf:Description")
            else:
                if _xmp_value(desc, "pdfaid:part") != "3" or _xmp_value(desc, "pdfaid:conformance") != "B":
                    problems.append("XMP does not identify PDF/A-3B")
                pairs = {"/Title": "dc:title", "/Author": "dc:creator", "/Subject": "dc:description",
                         "/Keywords": "pdf:Keywords", "/Producer": "pdf:Producer", "/Creator": "xmp:CreatorTool"}
                for key, prop in pairs.items():
                    if key in info and str(info[key]) != (_xmp_value(desc, prop) or ""):
                        problems.append(f"{key} differs from XMP {prop}")
                for key, prop in (("/CreationDate", "xmp:CreateDate"), ("/ModDate", "xmp:ModifyDate")):
                    if key in info:
                        want = _pdf_date(str(info[key]))
                        got = _xmp_value(desc, prop)
                        if want is None or got is None or dt.datetime.fromisoformat(got) != want:
                            problems.append(f"{key} differs from XMP {prop}")

    # output intent
    intents = root.get("/OutputIntents")
    pdfa = [i.get_object() for i in intents or [] if i.get_object().get("/S") == "/GTS_PDFA1"]
    if not pdfa:
        problems.append("no GTS_PDFA1 output intent")
    else:
        profile = pdfa[0].get("/DestOutputProfile")
        data = profile.get_object().get_data() if profile is not None else b""
        if data[36:40] != b"acsp" or data[16:20] != b"RGB " or profile.get_object().get("/N") != 3:
            problems.append("output intent profile is not an RGB ICC profile")

    # embedded files
    af = {ref.idnum for ref in root.get("/AF") or [] if isinstance(ref, IndirectObject)}
    names = ((root.get("/Names") or {}).get("/EmbeddedFiles") or {}).get_object() if "/Names" in root else {}
    leaves = list(names.get("/Names") or []) if names else []
    for name, ref in zip(leaves[0::2], leaves[1::2]):
        spec = ref.get_object()
        if not (isinstance(ref, IndirectObject) and ref.idnum in af):
            problems.append(f"{name}: not in the catalog's /AF")
        if "/AFRelationship" not in spec or "/F" not in spec or "/UF" not in spec:
            problems.append(f"{name}: file specification lacks /AFRelationship, /F or /UF")
        ef = spec["/EF"]["/F"].get_object()
        params = ef.get("/Params") or {}
        if "/Subtype" not in ef:
            problems.append(f"{name}: embedded file has no MIME type (/Subtype)")
        if "/ModDate" not in params or _pdf_date(str(params["/ModDate"])) is None:
            problems.append(f"{name}: /Params has no /ModDate")

    # pages: fonts embedded, annotations printed, graphics states
    seen: set[int] = set()

    def fonts_of(resources: Any) -> None:
        if not isinstance(resources, DictionaryObject):
            return
        for ref in (resources.get("/Font") or {}).values():
            font = ref.get_object()
            key = id(font) if not isinstance(ref, IndirectObject) else ref.idnum
            if key in seen:
                continue
            seen.add(key)
            targets = [d.get_object() for d in font.get("/DescendantFonts") or []] or [font]
            for t in targets:
                desc = (t.get("/FontDescriptor") or DictionaryObject()).get_object()
                if not any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    problems.append(f"font {t.get('/BaseFont')} not embedded")
        for gs in (resources.get("/ExtGState") or {}).values():
            g = gs.get_object()
            if "/TR" in g or ("/TR2" in g and g["/TR2"] != "/Default"):
                problems.append("graphics state with a transfer function")
        for ref in (resources.get("/XObject") or {}).values():
            x = ref.get_object()
            if isinstance(x, StreamObject) and x.get("/Subtype") == "/Image":
                if x.get("/Interpolate") is True or "/Alternates" in x or "/OPI" in x:
                    problems.append("image with /Interpolate, /Alternates or /OPI")
            elif isinstance(x, StreamObject) and x.get("/Subtype") == "/Form":
                if "/PS" in x or x.get("/Subtype2") == "/PS":
                    problems.append("PostScript XObject")
                fonts_of(x.get("/Resources"))

    # every object: no LZW filter, no CMYK colour
    for num in range(1, int(reader.trailer.get("/Size", 0))):
        try:
            obj = reader.get_object(num)
        except Exception:  # noqa: BLE001 - free or missing object numbers
            continue
        if not isinstance(obj, DictionaryObject):
            continue
        filters = obj.get("/Filter")
        names = [str(f) for f in filters] if isinstance(filters, ArrayObject) else [str(filters)] if filters else []
        if "/LZWDecode" in names or "/LZW" in names:
            problems.append(f"object {num}: LZW filter")
        if obj.get("/ColorSpace") == "/DeviceCMYK" or (isinstance(obj.get("/ColorSpace"), DictionaryObject)
                                                      and "/DeviceCMYK" in obj["/ColorSpace"].values()):
            problems.append(f"object {num}: DeviceCMYK colour space with an RGB output intent")
        if "/AA" in obj and obj.get("/Type") in ("/Page", "/Annot", None):
            problems.append(f"object {num}: additional actions (/AA)")
    oc = root.get("/OCProperties")
    if oc is not None and "/AS" in (oc.get_object().get("/D") or DictionaryObject()).get_object():
        problems.append("optional content configuration with /AS")

    problems.extend(_pdffonts_problems(path))

    for page in reader.pages:
        fonts_of(page.get("/Resources"))
        for a in page.get("/Annots") or ArrayObject():
            annot = a.get_object()
            flags = int(annot.get("/F", 0))
            if annot.get("/Subtype") != "/Popup" and (not flags & 4 or flags & 2 or flags & 1):
                problems.append(f"annotation {annot.get('/Subtype')} does not print (flags {flags})")
            ap = annot.get("/AP")
            if ap is not None:
                normal = ap.get_object().get("/N")
                if normal is not None and isinstance(normal.get_object(), StreamObject):
                    fonts_of(normal.get_object().get("/Resources"))
    return problems


def _pdffonts_problems(path: Path) -> list[str]:
    """poppler's own reading of the fonts: every one embedded (skipped when pdffonts is missing)."""
    import shutil
    import subprocess

    tool = shutil.which("pdffonts")
    if tool is None:
        import os

        if os.environ.get("KHOI_REQUIRE_TOOLS") == "1":
            return ["pdffonts is not installed (KHOI_REQUIRE_TOOLS=1)"]
        return []
    out = subprocess.run([tool, str(path)], capture_output=True, text=True, check=False)
    if out.returncode != 0:
        return [f"pdffonts cannot read the file: {out.stderr.strip()[:200]}"]
    lines = out.stdout.splitlines()[2:]  # the header and its rule
    problems = []
    for line in lines:
        cols = line.split()
        # name type [encoding…] emb sub uni object ID: «emb» is the fifth column from the end
        if len(cols) >= 7 and cols[-5] != "yes":
            problems.append(f"pdffonts: font {cols[0]} not embedded")
    if not lines:
        problems.append("pdffonts lists no font")
    return problems
