"""Constants describing the dossier PDF: the embedded payload and its manifest.

The export embeds one JSON attachment, ``PAYLOAD_NAME``, whose ``schema`` is
``f"{SCHEMA_ID}/{SCHEMA_VERSION}"`` and whose ``manifest`` lists every evidence attachment::

    payload["schema"] == "khoi-dossier/1"
    payload["manifest"] == [{"name": "<attachment file name>", "sha256": "<hex>", "size": int}, ...]

The payload itself is not in the manifest. Verification checks that each manifest entry's
attachment exists with the same SHA-256 and that no other attachment is present.
"""

from __future__ import annotations

PAYLOAD_NAME = "khoi-dossier.json"
SCHEMA_ID = "khoi-dossier"
SCHEMA_VERSION = 1
SCHEMA = f"{SCHEMA_ID}/{SCHEMA_VERSION}"

MAX_ATTACHMENTS = 2000
MAX_PAYLOAD_BYTES = 50 * 1024 * 1024
