"""per-evidence attach choice, photos per appendix page kept with the document, document numbers

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02

``evidence.copy_mode`` says how an attached file goes into the dossier: ``auto`` (the export's
choice: reduced copies of large photos only when the dossier would exceed its size budget),
``original`` or ``reduced``; "list only" stays ``embed = 0``. Every existing item becomes
``auto``, which is what it did before. ``export_choice`` keeps the last photos-per-page choice
(one row). The three numbers are the «Số:» of the registration, the Quy ước and the code of
conduct (blank: a dotted blank for the clerk).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("evidence") as batch:
        batch.add_column(sa.Column("copy_mode", sa.String(length=16), nullable=False, server_default="auto"))
    with op.batch_alter_table("period") as batch:
        batch.add_column(sa.Column("registration_number", sa.String(length=50), nullable=False, server_default=""))
        batch.add_column(sa.Column("convention_number", sa.String(length=50), nullable=False, server_default=""))
        batch.add_column(sa.Column("conduct_number", sa.String(length=50), nullable=False, server_default=""))
    op.create_table(
        "export_choice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("photos_per_page", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_export_choice")),
    )


def downgrade() -> None:
    op.drop_table("export_choice")
    with op.batch_alter_table("period") as batch:
        batch.drop_column("conduct_number")
        batch.drop_column("convention_number")
        batch.drop_column("registration_number")
    with op.batch_alter_table("evidence") as batch:
        batch.drop_column("copy_mode")
