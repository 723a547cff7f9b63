"""People, their accounts and their bearer tokens."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Integer, String
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
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)

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
    financial_file_updated: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    last_paid: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)

    # The chef de centre's centre; the gestionnaire's office.
    centre_id: Mapped[int | None] = mapped_column(ForeignKey("centres.id"))
    office: Mapped[str | None] = mapped_column(String(40))

    @property
    def interne(self) -> bool:
        return self.academic

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


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
