"""Who may do what (pure): editors decide and change the radar, viewers read it.

Roles come from lists of email addresses or `@domain` entries. Without sign-in configured
the app runs for one person on their own machine, who may do everything (`SINGLE_USER`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from radar.errors import AccessDenied

EDITOR, VIEWER = "editor", "viewer"


@dataclass(frozen=True)
class Person:
    email: str
    name: str
    role: str | None              # EDITOR, VIEWER, or None: signed in but not allowed in
    signed_in: bool = True        # False in single-user mode (no sign-in configured)
    verified: bool = True         # the provider vouches for the address (email_verified)

    @property
    def can_edit(self) -> bool:
        return self.role == EDITOR

    @property
    def author(self) -> str:
        """How decisions name their author: the signed-in identity, never typed text."""
        return f"{self.name} <{self.email}>" if self.name and self.name != self.email \
            else self.email


SINGLE_USER = Person(email="", name="", role=EDITOR, signed_in=False)


def role_of(email: str, *, editors: Iterable[str], viewers: Iterable[str]) -> str | None:
    """EDITOR or VIEWER for this address (editors win), or None. An entry is an address
    or an `@domain`; case does not matter."""
    address = email.strip().casefold()

    def listed(entries: Iterable[str]) -> bool:
        return any(address.endswith(entry) if entry.startswith("@") else address == entry
                   for entry in (e.strip().casefold() for e in entries) if entry)

    if not address:
        return None
    if listed(editors):
        return EDITOR
    return VIEWER if listed(viewers) else None


def email_verified(claims: Mapping[str, object], *, trust_missing_claim: bool = False) -> bool:
    """Whether the identity provider vouches that the address is the person's own.

    Anyone can type an editor's address into an account at many providers; only an
    `email_verified` claim that is true (some providers send the text "true") lets the
    address be matched to the editors and viewers lists. A provider that sends no such
    claim is trusted only when `trust_missing_claim` says so (its addresses are all
    verified, e.g. a company directory).
    """
    value = claims.get("email_verified")
    if value is None:
        return trust_missing_claim
    return value is True or str(value).strip().lower() == "true"


def require_editor(person: Person | None) -> Person:
    """The person, if they may change the radar; `AccessDenied` otherwise."""
    if person is None or not person.can_edit:
        who = person.email if person else "nobody signed in"
        raise AccessDenied(f"{who} may read the radar but not change it (editors only)")
    return person
