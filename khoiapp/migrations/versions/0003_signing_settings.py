"""signature images and the signing choice, stored in the document

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "signature_image",
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("png", sa.LargeBinary(), nullable=False),
        sa.Column("file_name", sa.String(length=300), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("role", name=op.f("pk_signature_image")),
    )
    op.create_table(
        "signing_choice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("p12_path", sa.String(length=1000), nullable=False),
        sa.Column("pkcs11_lib", sa.String(length=1000), nullable=False),
        sa.Column("token_label", sa.String(length=200), nullable=False),
        sa.Column("key_label", sa.String(length=200), nullable=False),
        sa.Column("cert_fingerprint", sa.String(length=64), nullable=False),
        sa.Column("cert_subject", sa.String(length=500), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signing_choice")),
    )


def downgrade() -> None:
    op.drop_table("signing_choice")
    op.drop_table("signature_image")
