"""ORM models of a unit's document (SQLAlchemy 2 typed mappings)."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    # Store the enum's value (stable, readable in the file), not its Python name.
    return Enum(
        cls,
        name=name,
        values_callable=lambda e: [m.value for m in e],
        native_enum=False,
        validate_strings=True,
        length=32,
    )


class UnitType(str, enum.Enum):
    CO_QUAN = "co-quan"
    DON_VI = "don-vi"
    DOANH_NGHIEP = "doanh-nghiep"

    @property
    def label(self) -> str:
        return {"co-quan": "Cơ quan", "don-vi": "Đơn vị", "doanh-nghiep": "Doanh nghiệp"}[self.value]


class PeriodStatus(str, enum.Enum):
    DRAFT = "draft"
    FINALISED = "finalised"

    @property
    def label(self) -> str:
        return {"draft": "Đang soạn", "finalised": "Đã hoàn tất"}[self.value]


class ResultStatusCol(str, enum.Enum):
    """Stored status of a criterion; values match ``khoiapp.scoring.ResultStatus``."""

    UNANSWERED = "chua-danh-gia"
    MET = "dat"
    NOT_MET = "chua-dat"
    NOT_APPLICABLE = "khong-ap-dung"


class PlanStatus(str, enum.Enum):
    NOT_STARTED = "chua-bat-dau"
    IN_PROGRESS = "dang-thuc-hien"
    DONE = "hoan-thanh"

    @property
    def label(self) -> str:
        return {
            "chua-bat-dau": "Chưa bắt đầu",
            "dang-thuc-hien": "Đang thực hiện",
            "hoan-thanh": "Hoàn thành",
        }[self.value]


class DocMeta(Base):
    """Key/value facts about the file itself (document id, created by which version)."""

    __tablename__ = "doc_meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Unit(Base):
    __tablename__ = "unit"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    short_name: Mapped[str] = mapped_column(String(100), default="")
    unit_type: Mapped[UnitType] = mapped_column(_enum(UnitType, "unit_type"))
    parent_org: Mapped[str] = mapped_column(String(300), default="")
    superior_union: Mapped[str] = mapped_column(String(300), default="")
    union_name: Mapped[str] = mapped_column(String(300), default="")
    address: Mapped[str] = mapped_column(String(500), default="")
    place_name: Mapped[str] = mapped_column(String(100), default="")
    head_name: Mapped[str] = mapped_column(String(200), default="")
    head_title: Mapped[str] = mapped_column(String(200), default="")
    party_secretary: Mapped[str] = mapped_column(String(200), default="")
    union_chair: Mapped[str] = mapped_column(String(200), default="")
    staff_count: Mapped[int | None] = mapped_column(Integer, nullable=True)
    party_member_count: Mapped[int | None] = mapped_column(Integer, nullable=True)
    phone: Mapped[str] = mapped_column(String(50), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


class Framework(Base):
    """A criteria framework copied into the document, so old periods re-export identically."""

    __tablename__ = "framework"
    __table_args__ = (UniqueConstraint("key", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100))
    version: Mapped[str] = mapped_column(String(50))
    title: Mapped[str] = mapped_column(String(500))
    content_hash: Mapped[str] = mapped_column(String(64))
    source_text: Mapped[str] = mapped_column(Text)
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime)


class Period(Base):
    __tablename__ = "period"
    id: Mapped[int] = mapped_column(primary_key=True)
    year_start: Mapped[int] = mapped_column(Integer)
    year_end: Mapped[int] = mapped_column(Integer, unique=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("framework.id"))
    addon_framework_id: Mapped[int | None] = mapped_column(ForeignKey("framework.id"), nullable=True)
    target_cultural: Mapped[bool] = mapped_column(Boolean, default=True)
    target_model: Mapped[bool] = mapped_column(Boolean, default=False)
    registered_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    status: Mapped[PeriodStatus] = mapped_column(_enum(PeriodStatus, "period_status"), default=PeriodStatus.DRAFT)
    report_number: Mapped[int] = mapped_column(Integer, default=1)
    report_symbol: Mapped[str] = mapped_column(String(50), default="BC-CĐ")
    # «Số:» of the registration, the Quy ước and the code of conduct ("": a dotted blank for the clerk)
    registration_number: Mapped[str] = mapped_column(String(50), default="", server_default="")
    convention_number: Mapped[str] = mapped_column(String(50), default="", server_default="")
    conduct_number: Mapped[str] = mapped_column(String(50), default="", server_default="")
    situation: Mapped[str] = mapped_column(Text, default="")
    proposals: Mapped[str] = mapped_column(Text, default="")
    recipients: Mapped[str] = mapped_column(Text, default="")
    # Filled by a roll-forward from a dossier.
    source_dossier_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    source_unverified: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)

    framework: Mapped[Framework] = relationship(foreign_keys=[framework_id])
    addon_framework: Mapped[Framework | None] = relationship(foreign_keys=[addon_framework_id])
    results: Mapped[list[CriterionResult]] = relationship(
        back_populates="period", cascade="all, delete-orphan", order_by="CriterionResult.id"
    )

    @property
    def label(self) -> str:
        if self.year_start == self.year_end:
            return str(self.year_end)
        return f"{self.year_start}–{self.year_end}"


class CriterionResult(Base):
    __tablename__ = "criterion_result"
    __table_args__ = (UniqueConstraint("period_id", "framework_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id", ondelete="CASCADE"), index=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("framework.id"))
    code: Mapped[str] = mapped_column(String(50))
    status: Mapped[ResultStatusCol] = mapped_column(
        _enum(ResultStatusCol, "result_status"), default=ResultStatusCol.UNANSWERED
    )
    value: Mapped[float | None] = mapped_column(Float, nullable=True)
    score: Mapped[float] = mapped_column(Float, default=0.0)
    current_state: Mapped[str] = mapped_column(Text, default="")
    strengths: Mapped[str] = mapped_column(Text, default="")
    weaknesses: Mapped[str] = mapped_column(Text, default="")
    improvement_plan: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    needs_confirmation: Mapped[bool] = mapped_column(Boolean, default=False)
    # Last year's answer as JSON (status, value, narrative, evidence codes, criterion title).
    reference_json: Mapped[str | None] = mapped_column(Text, nullable=True)
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)

    period: Mapped[Period] = relationship(back_populates="results")
    evidence: Mapped[list[Evidence]] = relationship(
        secondary="evidence_link", back_populates="results", order_by="Evidence.code"
    )


class Blob(Base):
    """Evidence bytes, content-addressed by SHA-256, stored once however often they are used."""

    __tablename__ = "blob"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)


class Evidence(Base):
    __tablename__ = "evidence"
    __table_args__ = (UniqueConstraint("period_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(50))
    title: Mapped[str] = mapped_column(String(500))
    doc_number: Mapped[str] = mapped_column(String(100), default="")
    issued_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    issuer: Mapped[str] = mapped_column(String(300), default="")
    file_name: Mapped[str] = mapped_column(String(255), default="")
    mime_type: Mapped[str] = mapped_column(String(100), default="")
    size: Mapped[int] = mapped_column(Integer, default=0)
    sha256: Mapped[str | None] = mapped_column(ForeignKey("blob.sha256"), nullable=True, index=True)
    embed: Mapped[bool] = mapped_column(Boolean, default=True)  # False: listed only, never attached
    # how an attached file goes into the dossier: "auto" (the export's choice), "original", "reduced"
    copy_mode: Mapped[str] = mapped_column(String(16), default="auto", server_default="auto")
    inherited: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    added_at: Mapped[dt.datetime] = mapped_column(DateTime)

    results: Mapped[list[CriterionResult]] = relationship(
        secondary="evidence_link", back_populates="evidence"
    )


class EvidenceLink(Base):
    __tablename__ = "evidence_link"
    evidence_id: Mapped[int] = mapped_column(ForeignKey("evidence.id", ondelete="CASCADE"), primary_key=True)
    result_id: Mapped[int] = mapped_column(
        ForeignKey("criterion_result.id", ondelete="CASCADE"), primary_key=True
    )


class Convention(Base):
    """Quy ước: one row per adopted version."""

    __tablename__ = "convention"
    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, unique=True)
    title: Mapped[str] = mapped_column(String(500))
    adopted_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    adopted_at: Mapped[str] = mapped_column(String(500), default="")
    inherited: Mapped[bool] = mapped_column(Boolean, default=False)
    chapters: Mapped[list[ConventionChapter]] = relationship(
        back_populates="convention", cascade="all, delete-orphan", order_by="ConventionChapter.position"
    )


class ConventionChapter(Base):
    __tablename__ = "convention_chapter"
    id: Mapped[int] = mapped_column(primary_key=True)
    convention_id: Mapped[int] = mapped_column(ForeignKey("convention.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(500))
    convention: Mapped[Convention] = relationship(back_populates="chapters")
    articles: Mapped[list[ConventionArticle]] = relationship(
        back_populates="chapter", cascade="all, delete-orphan", order_by="ConventionArticle.position"
    )


class ConventionArticle(Base):
    __tablename__ = "convention_article"
    id: Mapped[int] = mapped_column(primary_key=True)
    chapter_id: Mapped[int] = mapped_column(ForeignKey("convention_chapter.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text, default="")
    chapter: Mapped[ConventionChapter] = relationship(back_populates="articles")


class ConductRule(Base):
    """One rule of the Bộ quy tắc ứng xử."""

    __tablename__ = "conduct_rule"
    id: Mapped[int] = mapped_column(primary_key=True)
    category: Mapped[str] = mapped_column(String(50))
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(300), default="")
    adopted_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    posted: Mapped[bool] = mapped_column(Boolean, default=False)
    inherited: Mapped[bool] = mapped_column(Boolean, default=False)


class Activity(Base):
    __tablename__ = "activity"
    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(50))
    title: Mapped[str] = mapped_column(String(500))
    held_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    participants: Mapped[int | None] = mapped_column(Integer, nullable=True)
    quantity: Mapped[int | None] = mapped_column(Integer, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")


class Award(Base):
    __tablename__ = "award"
    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(50))
    content: Mapped[str] = mapped_column(String(500))
    issuer: Mapped[str] = mapped_column(String(300), default="")
    number: Mapped[str] = mapped_column(String(100), default="")
    issued_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    holder: Mapped[str] = mapped_column(String(300), default="")
    collective: Mapped[bool] = mapped_column(Boolean, default=True)
    # who decided the award, as the bloc's report groups them (content.AWARD_LEVELS)
    issuer_level: Mapped[str] = mapped_column(String(32), default="khac", server_default="khac")


class CommitteeMember(Base):
    __tablename__ = "committee_member"
    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    job_title: Mapped[str] = mapped_column(String(300), default="")
    role: Mapped[str] = mapped_column(String(100), default="Thành viên")
    tasks: Mapped[str] = mapped_column(Text, default="")


class PlanItem(Base):
    __tablename__ = "plan_item"
    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    content: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200), default="")
    deadline: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    measures: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[PlanStatus] = mapped_column(_enum(PlanStatus, "plan_status"), default=PlanStatus.NOT_STARTED)


class ImportRecord(Base):
    """A dossier rolled forward into this document (detects importing the same one twice)."""

    __tablename__ = "import_record"
    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_sha256: Mapped[str] = mapped_column(String(64), index=True)
    payload_sha256: Mapped[str] = mapped_column(String(64))
    source_year: Mapped[int] = mapped_column(Integer)
    target_year: Mapped[int] = mapped_column(Integer)
    verdict: Mapped[str] = mapped_column(String(32))
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime)


class SignatureImage(Base):
    """The transparent PNG a role's visible signature shows: the chair's and the head's handwritten
    signatures, the unit's red seal. Chosen once per document (NĐ 30/2020 Appendix I)."""

    __tablename__ = "signature_image"
    role: Mapped[str] = mapped_column(String(16), primary_key=True)
    png: Mapped[bytes] = mapped_column(LargeBinary)
    file_name: Mapped[str] = mapped_column(String(300))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)


class SigningChoice(Base):
    """How this document's dossier was last signed (one row): never shared across documents."""

    __tablename__ = "signing_choice"
    id: Mapped[int] = mapped_column(primary_key=True)
    method: Mapped[str] = mapped_column(String(16))  # "p12" | "pkcs11"
    p12_path: Mapped[str] = mapped_column(String(1000), default="")
    pkcs11_lib: Mapped[str] = mapped_column(String(1000), default="")
    token_label: Mapped[str] = mapped_column(String(200), default="")
    key_label: Mapped[str] = mapped_column(String(200), default="")
    cert_fingerprint: Mapped[str] = mapped_column(String(64), default="")
    cert_subject: Mapped[str] = mapped_column(String(500), default="")
    role: Mapped[str] = mapped_column(String(16), default="chu-tich")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)


class ExportChoice(Base):
    """The last export choices of this document (one row): photos per appendix page."""

    __tablename__ = "export_choice"
    id: Mapped[int] = mapped_column(primary_key=True)
    photos_per_page: Mapped[int] = mapped_column(Integer, default=4)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)


class Rendition(Base):
    """What an export derived from an evidence file, kept so the next export skips the work.

    ``kind``: ``reduced`` (the reduced copy of a large photo) or ``print`` (an appendix image;
    ``part`` is the page of a PDF evidence, 0 for a photo, ``parts`` its page count). ``spec``
    says how it was made; ``mac`` is an HMAC-SHA256 with this user's key on this computer over
    every other column and the data's SHA-256 (``khoiapp.services.renditions``).
    """

    __tablename__ = "rendition"
    source_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    spec: Mapped[str] = mapped_column(String(100), primary_key=True)
    part: Mapped[int] = mapped_column(Integer, primary_key=True)
    parts: Mapped[int] = mapped_column(Integer)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    mac: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    made_at: Mapped[dt.datetime] = mapped_column(DateTime)
