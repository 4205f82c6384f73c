"""Sign-in for a team: Streamlit's OpenID Connect (`st.login`) when `[auth]` is in
`.streamlit/secrets.toml`, roles from its `[radar]` section (`editors`, `viewers`: email
addresses or `@domain`). Without `[auth]` the app is one person's, on their machine."""

from __future__ import annotations

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from radar.access import SINGLE_USER, Person, email_verified, role_of
from radar.errors import FeedError
from radar.text import md_escape


def _secrets(section: str) -> dict:
    try:
        return dict(st.secrets.get(section) or {})
    except (FileNotFoundError, StreamlitSecretNotFoundError):
        return {}


def sign_in_configured() -> bool:
    return bool(_secrets("auth"))


def current_person() -> Person | None:
    """Who is using the app now (None: sign-in is configured and nobody signed in)."""
    if not sign_in_configured():
        return SINGLE_USER
    if not st.user.get("is_logged_in"):
        return None
    email = str(st.user.get("email") or "")
    roles = _secrets("radar")
    verified = email_verified(st.user, trust_missing_claim=bool(
        roles.get("trust_email_without_verified_claim", False)))
    return Person(email=email, name=str(st.user.get("name") or email), verified=verified,
                  role=role_of(email, editors=roles.get("editors", ()),
                               viewers=roles.get("viewers", ())) if verified else None)


def signed_in() -> bool:
    """Someone signed in (not single-user mode): changes carry their identity."""
    person = current_person()
    return bool(person and person.signed_in)


def can_edit() -> bool:
    person = current_person()
    return person is not None and person.can_edit


@st.cache_data(ttl=30, show_spinner=False)
def provider_problem(metadata_url: str) -> str | None:
    """Why the identity provider cannot be used now (None when it answers). Checked before
    anyone is sent to it: a failed sign-in is a bare error page from Streamlit."""
    from radar.collect import check_document

    if not metadata_url:
        return "server_metadata_url is missing from [auth]"
    try:
        check_document(metadata_url)
    except FeedError as e:
        return str(e)
    return None


def gate(*, read_only: bool = False) -> Person:
    """Let in only who may see the radar: a sign-in page for strangers (or a page saying
    why sign-in cannot work now), a 'no access' page for someone in neither list; everyone
    else sees who they are in the sidebar. `read_only`: a shared edition, nothing to change."""
    person = current_person()
    if person is None:
        st.title("Trend Radar")
        metadata_url = str(_secrets("auth").get("server_metadata_url") or "")
        problem = provider_problem(metadata_url)
        if problem:
            st.error(f"Sign-in is not available: the identity provider does not answer "
                     f"({md_escape(metadata_url or 'no address')}: {md_escape(problem)}).")
            st.markdown("Check that the provider is up, that this server can reach it "
                        "(DNS, proxy, firewall), and `server_metadata_url` in "
                        "`.streamlit/secrets.toml` (README, *Running it for a team*).")
            st.button("Try again", on_click=provider_problem.clear)
            st.stop()
        st.markdown("Sign in with your organisation's account to see the radar.")
        st.button("Sign in", type="primary", on_click=st.login)
        st.stop()
    if person.role is None:
        st.title("Trend Radar")
        if person.verified:
            st.error(f"No access for {md_escape(person.email)}: ask an editor of the radar "
                     "to add you to its viewers or editors.")
        else:
            st.error(f"No access for {md_escape(person.email)}: your sign-in provider does "
                     "not say this address is verified, so it cannot stand for an editor or "
                     "a viewer (see README, Running it for a team).")
        st.button("Sign out", on_click=st.logout)
        st.stop()
    if person.signed_in:
        st.sidebar.caption(f"Signed in as {md_escape(person.author)} · {person.role}")
        st.sidebar.button("Sign out", on_click=st.logout)
    elif read_only:
        st.sidebar.caption("A frozen edition: it reads the same for everyone and nothing on "
                           "this page can change it.")
    else:
        st.sidebar.caption("Single-user mode: no sign-in is configured, so whoever opens "
                           "this page can change the radar (see README, Running it for a "
                           "team).")
    return person
