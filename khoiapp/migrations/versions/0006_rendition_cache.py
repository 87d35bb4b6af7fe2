"""renditions of evidence made by an export, kept for the next export

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02

``rendition`` keeps what an export derives from an evidence file: the reduced copy of a large
photo (``kind = 'reduced'``) and the print-size images of the appendix (``kind = 'print'``, one
row per printed page of a PDF), under the SHA-256 of the file they are made from and a ``spec``
saying how they were made. Each row carries an HMAC made with a key of this user on this
computer: rows made elsewhere (or edited) are ignored and made again. Nothing else reads it; the
table can be emptied at any time.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rendition",
        sa.Column("source_sha256", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("spec", sa.String(length=100), nullable=False),
        sa.Column("part", sa.Integer(), nullable=False),
        sa.Column("parts", sa.Integer(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("mac", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("made_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("source_sha256", "kind", "spec", "part", name=op.f("pk_rendition")),
    )


def downgrade() -> None:
    op.drop_table("rendition")
