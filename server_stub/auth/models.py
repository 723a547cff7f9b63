"""People, their accounts and their bearer tokens."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, true
from sqlalchemy.orm import Mapped, mapped_column

from server_stub.core.database import Base, UtcDateTime


class Role(StrEnum):
    INTERVENANT = "INTERVENANT"
    GESTIONNAIRE = "GESTIONNAIRE"
    CHEF_CENTRE = "CHEF_CENTRE"
    ADMIN = "ADMIN"


class Category(StrEnum):
    """Who the intervenant is (the four audiences of the service)."""

    LP_TEACHER = "LP_TEACHER"  # personnels des LP et LPP de l'académie
    PRIVATE_TRAINER = "PRIVATE_TRAINER"  # formateurs des centres privés hors contrat
    OTHER_ACADEMY = "OTHER_ACADEMY"  # personnels des établissements hors académie
    PROFESSIONAL = "PROFESSIONAL"  # professionnels


class User(Base):
    __tablename__ = "users"
    # The DEC's queue sorted by intervenant walks this (dec/repository.sort_columns).
    __table_args__ = (Index("ix_users_name", "last_name", "first_name", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    login: Mapped[str] = mapped_column(String(120), unique=True)
    email: Mapped[str | None] = mapped_column(String(200))
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[Role] = mapped_column(String(20), default=Role.INTERVENANT)
    category: Mapped[Category | None] = mapped_column(String(20))
    # Académie accounts log in with their messaging credentials; the reference server keeps them
    # as local accounts flagged academic. Académie staff are "internes" (paid through payroll).
    academic: Mapped[bool] = mapped_column(Boolean, default=False)

    password_hash: Mapped[str] = mapped_column(String(200))
    # An account the administrator deactivated: it cannot log in, its sessions are ended.
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=True)

    administrative_residence: Mapped[str | None] = mapped_column(String(5))  # INSEE code
    family_residence: Mapped[str | None] = mapped_column(String(5))
    fiscal_power: Mapped[int | None] = mapped_column(Integer)
    disability: Mapped[bool] = mapped_column(Boolean, default=False)
    school: Mapped[str | None] = mapped_column(String(200))

    # Financial file (dossier financier)
    iban: Mapped[str | None] = mapped_column(String(34))
    bic: Mapped[str | None] = mapped_column(String(11))
    account_holder: Mapped[str | None] = mapped_column(String(140))
    postal_address: Mapped[str | None] = mapped_column(String(300))
    # The social security number, encrypted with the server's key (people/nir_store.py): a
    # Fernet token, never the number itself.
    nir_encrypted: Mapped[str | None] = mapped_column(String(200))
    financial_file_updated: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    last_paid: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)

    # What a gestionnaire or a chef de centre answers for is in their memberships
    # (OfficeMembership, CentreMembership): one may serve several offices or centres.

    @property
    def interne(self) -> bool:
        return self.academic

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class OfficeMembership(Base):
    """A gestionnaire works for an office (a bureau of the DEC): they reach its sessions."""

    __tablename__ = "office_members"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    office: Mapped[str] = mapped_column(String(40), primary_key=True)


class CentreMembership(Base):
    """A chef de centre answers for an exam centre (the service done there, its people)."""

    __tablename__ = "centre_members"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    centre_id: Mapped[int] = mapped_column(
        ForeignKey("centres.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class TokenKind(StrEnum):
    ACCESS = "ACCESS"
    REFRESH = "REFRESH"


class Token(Base):
    __tablename__ = "tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[TokenKind] = mapped_column(String(10))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    # The session a token belongs to: the tokens of one log-in and of every refresh after it.
    # A refresh token used twice revokes its whole family; log-out revokes the family.
    family: Mapped[str] = mapped_column(String(32), index=True)


class RateLimitCounter(Base):
    """A fixed window of the `limits` library (auth/throttle.py), shared by every process."""

    __tablename__ = "rate_limit_counters"

    key: Mapped[str] = mapped_column(String(250), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)
    # Seconds since the epoch, as `limits` reads and writes them.
    expires_at: Mapped[float] = mapped_column(Float, index=True)


class LoginFailure(Base):
    """Recent failed log-ins for one identifier (existing or not) from one client address."""

    __tablename__ = "login_failures"

    login: Mapped[str] = mapped_column(String(120), primary_key=True)
    address: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    last_failure_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
    wait_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
