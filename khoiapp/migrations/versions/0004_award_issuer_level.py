"""award issuer level (UBND tỉnh, Ban Thường vụ Đảng ủy Khối, cấp ủy cơ sở, other)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("award") as batch:
        batch.add_column(sa.Column("issuer_level", sa.String(length=32), nullable=False, server_default="khac"))


def downgrade() -> None:
    with op.batch_alter_table("award") as batch:
        batch.drop_column("issuer_level")
