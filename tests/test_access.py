"""Who may do what: roles from addresses and domains, and the refusal of every change
for someone who may only read."""

from __future__ import annotations

import pytest

from radar.access import EDITOR, SINGLE_USER, VIEWER, Person, require_editor, role_of
from radar.errors import AccessDenied

EDITORS = ["ciso@example.com", "@security.example.com"]
VIEWERS = ["@example.com", "cio@partner.example"]


@pytest.mark.parametrize("email, role", [
    ("ciso@example.com", EDITOR),
    ("CISO@Example.com", EDITOR),                    # case does not matter
    ("ana@security.example.com", EDITOR),            # a domain of editors
    ("bob@example.com", VIEWER),                     # everyone else at example.com reads
    ("cio@partner.example", VIEWER),
    ("eve@notexample.com", None),                    # 'notexample.com' is not '@example.com'
    ("mallory@example.com.evil", None),
    ("", None),
])
def test_roles_from_addresses_and_domains(email: str, role: str | None) -> None:
    assert role_of(email, editors=EDITORS, viewers=VIEWERS) == role


def test_only_editors_may_change_the_radar() -> None:
    editor = Person("ciso@example.com", "Ciso Name", EDITOR)
    assert require_editor(editor) is editor
    assert require_editor(SINGLE_USER) is SINGLE_USER        # one person, their own machine
    with pytest.raises(AccessDenied, match=r"bob@example\.com may read the radar but not"):
        require_editor(Person("bob@example.com", "Bob", VIEWER))
    with pytest.raises(AccessDenied, match="nobody signed in"):
        require_editor(None)


def test_a_decision_names_the_signed_in_person() -> None:
    assert Person("ciso@example.com", "Ciso Name", EDITOR).author == \
        "Ciso Name <ciso@example.com>"
    assert Person("ciso@example.com", "ciso@example.com", EDITOR).author == "ciso@example.com"


@pytest.mark.parametrize("claims, trust_missing, verified", [
    ({"email": "a@x.test", "email_verified": True}, False, True),
    ({"email": "a@x.test", "email_verified": "true"}, False, True),
    ({"email": "a@x.test", "email_verified": False}, False, False),
    ({"email": "a@x.test", "email_verified": False}, True, False),
    ({"email": "a@x.test", "email_verified": "false"}, True, False),
    ({"email": "a@x.test"}, False, False),
    ({"email": "a@x.test"}, True, True)])
def test_only_a_verified_address_is_matched(claims: dict, trust_missing: bool,
                                           verified: bool) -> None:
    from radar.access import email_verified
    assert email_verified(claims, trust_missing_claim=trust_missing) is verified
