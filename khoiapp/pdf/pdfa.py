"""What makes the dossier a PDF/A-3b file: XMP metadata, the sRGB output intent, PDF dates.

PDF/A-3 (ISO 19005-3) is the archive format that allows embedded files of any kind, each tied to
the document by an ``/AF`` relationship; it is what Factur-X / ZUGFeRD "print = data" invoices use.
The export adds these objects in the same incremental update that embeds the files (see
``khoiapp.services.export``); the pages themselves already embed every font and use only RGB
images and black text.
"""

from __future__ import annotations

import datetime as dt
import functools
from xml.sax.saxutils import escape

PDFA_PART = 3
PDFA_CONFORMANCE = "B"
OUTPUT_CONDITION = "sRGB IEC61966-2.1"


def pdf_date(when: dt.datetime) -> str:
    """A PDF date string, ``D:20261205090000+07'00'``."""
    offset = when.utcoffset() or dt.timedelta(0)
    sign = "-" if offset < dt.timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"D:{when:%Y%m%d%H%M%S}{sign}{minutes // 60:02d}'{minutes % 60:02d}'"


def xmp_date(when: dt.datetime) -> str:
    """An XMP date, ``2026-12-05T09:00:00+07:00``."""
    return when.replace(microsecond=0).isoformat()


@functools.lru_cache(maxsize=1)
def srgb_profile() -> bytes:
    """An sRGB ICC profile (Pillow's LittleCMS), with a fixed creation date so output is reproducible."""
    from PIL import ImageCms

    data = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    # Header bytes 24–35: creation date and time (six big-endian 16-bit numbers); the profile ID
    # (bytes 84–99) is left as zeros, meaning "not computed".
    for i, v in enumerate((2026, 1, 1, 0, 0, 0)):
        data[24 + 2 * i: 26 + 2 * i] = v.to_bytes(2, "big")
    data[84:100] = bytes(16)
    return bytes(data)


def xmp_metadata(*, title: str, author: str, subject: str, keywords: str, creator: str, producer: str,
                 created: dt.datetime, modified: dt.datetime, language: str = "vi-VN") -> bytes:
    """The XMP packet of the catalog's ``/Metadata``: the same values as the document information
    dictionary (PDF/A requires them to agree), and the PDF/A-3b identification."""
    e = escape

    def alt(value: str) -> str:
        return f'<rdf:Alt><rdf:li xml:lang="x-default">{e(value)}</rdf:li></rdf:Alt>'

    body = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
   <dc:format>application/pdf</dc:format>
   <dc:title>{alt(title)}</dc:title>
   <dc:creator><rdf:Seq><rdf:li>{e(author)}</rdf:li></rdf:Seq></dc:creator>
   <dc:description>{alt(subject)}</dc:description>
   <dc:language><rdf:Bag><rdf:li>{e(language)}</rdf:li></rdf:Bag></dc:language>
   <pdf:Keywords>{e(keywords)}</pdf:Keywords>
   <pdf:Producer>{e(producer)}</pdf:Producer>
   <pdf:Trapped>False</pdf:Trapped>
   <xmp:CreatorTool>{e(creator)}</xmp:CreatorTool>
   <xmp:CreateDate>{xmp_date(created)}</xmp:CreateDate>
   <xmp:ModifyDate>{xmp_date(modified)}</xmp:ModifyDate>
   <xmp:MetadataDate>{xmp_date(modified)}</xmp:MetadataDate>
   <pdfaid:part>{PDFA_PART}</pdfaid:part>
   <pdfaid:conformance>{PDFA_CONFORMANCE}</pdfaid:conformance>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
"""
    # Room for a later in-place edit, as XMP writers leave, then the closing processing instruction.
    return (body + (" " * 99 + "\n") * 20 + '<?xpacket end="w"?>').encode("utf-8")
