"""The dossier format's names and every limit a reader enforces (one place, see docs/security.md).

The export embeds one JSON attachment, ``PAYLOAD_NAME``, whose ``schema`` is
``f"{SCHEMA_ID}/{SCHEMA_VERSION}"`` and whose ``manifest`` lists every evidence attachment::

    payload["schema"] == "khoi-dossier/1"
    payload["manifest"] == [{"name": "<attachment file name>", "sha256": "<hex>", "size": int}, ...]

The payload itself is not in the manifest. Verification checks that each manifest entry's
attachment exists with the same SHA-256 and that no other attachment is present.

Each limit below is checked before the work it limits (counting before parsing, declared sizes
before decoding), so a hostile file costs time and memory proportional to the limit, not to what
the file claims.
"""

from __future__ import annotations

PAYLOAD_NAME = "khoi-dossier.json"
SCHEMA_ID = "khoi-dossier"
SCHEMA_VERSION = 1
SCHEMA = f"{SCHEMA_ID}/{SCHEMA_VERSION}"

MiB = 1024 * 1024

MAX_ATTACHMENTS = 2000
"""Evidence attachments in one dossier (the payload comes on top)."""
MAX_PAYLOAD_BYTES = 50 * MiB
"""Decoded size of ``khoi-dossier.json``."""
MAX_JSON_DEPTH = 32
"""Deepest nesting of arrays/objects in the payload (a real one nests about 7 deep)."""
MAX_JSON_VALUES = 1_000_000
"""Values (array items and object members) in the whole payload, counted on the bytes before
parsing. The largest payload the schema's item limits allow in practice has about 300 000."""
MAX_SCHEMA_ERRORS = 20
"""Schema validation stops after this many problems (never collects them all)."""
MAX_ATTACHMENT_BYTES = 2048 * MiB
"""Decoded size of one evidence attachment (the highest evidence limit Settings allow)."""
MAX_DOSSIER_BYTES = 4096 * MiB
"""Decoded size of all evidence attachments of one dossier together."""
MAX_NAME_LENGTH = 255
"""Characters of an attachment, evidence code or file name (and UTF-8 bytes when written)."""
MAX_TREE_DEPTH = 32
"""Nesting of the PDF's name tree / page tree."""
CHUNK = MiB
"""Attachments are decoded and hashed in pieces of this size."""

IN_MEMORY_COPY_BYTES = 64 * MiB
"""A dossier up to this size is read into memory once; a larger one into a private temporary file."""

SUMMARY_FILE_MEMORY = 3072 * MiB
"""Address space one summary worker may use for one file (POSIX; see ``khoiapp.dossier.budget``)."""
SUMMARY_FILE_SECONDS = 300.0
"""Wall-clock time one file of a summary may take before its worker is stopped."""
