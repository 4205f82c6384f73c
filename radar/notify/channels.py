"""Where notifications go: named channels from `channels.yaml`, `--to` URLs, and delivery.

The only module that imports Apprise (one library for e-mail, Microsoft Teams, Slack,
ntfy, Telegram, generic JSON webhooks and a hundred more). A channel is an Apprise URL;
`channels.yaml` (next to `feeds.yaml`, ignored by git because URLs hold tokens and
passwords) names them and says where links in messages point:

    app_url: https://radar.example.com      # the app, for links to a trend
    channels:
      security-team: workflows://prod-12.westeurope.logic.azure.com:443/ID/SIG
      ciso-mail: mailtos://radar:PASSWORD@smtp.example.com?to=ciso@example.com

Every URL is checked before anything is sent, so a typo stops the command naming the
channel; a delivery that hangs is given up after a timeout and reported by name.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from radar.errors import ConfigError

DEFAULT_APP_URL = "http://localhost:8501"
APP_URL_ENV = "RADAR_APP_URL"
CONNECT_TIMEOUT, READ_TIMEOUT = 5.0, 10.0   # seconds; a hanging webhook must not hold a run
NAME = re.compile(r"^[A-Za-z0-9][\w.-]{0,59}$")


@dataclass(frozen=True)
class Message:
    """One notification: a title, plain text for chat and webhooks, HTML for e-mail."""

    title: str
    text: str
    html: str = ""


@dataclass(frozen=True)
class Channel:
    """A place to deliver to. `key` identifies it in the delivery log without its secrets."""

    name: str
    url: str = field(repr=False)
    named: bool = True              # from channels.yaml; else a `--to` URL

    @property
    def key(self) -> str:
        """The name of a named channel; a hash of a `--to` URL (its secrets stay out)."""
        return self.name if self.named else \
            "url:" + hashlib.sha256(self.url.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class ChannelSettings:
    """What `channels.yaml` holds: named channels and the app's address for links."""

    channels: dict[str, str] = field(default_factory=dict)
    app_url: str = DEFAULT_APP_URL
    source: str = "channels.yaml"


def load_channel_settings(path: str | Path) -> ChannelSettings:
    """The channels file; none at all means no named channels (alerts stay off)."""
    path = Path(path)
    app_url = os.environ.get(APP_URL_ENV, "").strip()
    if not path.exists():
        return ChannelSettings(app_url=app_url or DEFAULT_APP_URL, source=str(path))
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"{path}: cannot read channels file ({e})") from e
    settings = parse_channel_settings(text, source=str(path))
    return ChannelSettings(settings.channels, app_url or settings.app_url, str(path))


def parse_channel_settings(text: str, *, source: str) -> ChannelSettings:
    try:
        data = yaml.safe_load(text) or {}
    except yaml.MarkedYAMLError as e:
        line = e.problem_mark.line + 1 if e.problem_mark else 0
        raise ConfigError(f"{source}:{line}: invalid YAML: {e.problem}") from e
    if not isinstance(data, dict) or set(data) - {"channels", "app_url"}:
        raise ConfigError(f"{source}: expected 'channels:' (name: Apprise URL) and "
                          "optionally 'app_url:'")
    channels = data.get("channels") or {}
    if not isinstance(channels, dict):
        raise ConfigError(f"{source}: 'channels' must map each name to an Apprise URL")
    for name, url in channels.items():
        if not NAME.match(str(name)):
            raise ConfigError(f"{source}: channel name {name!r} must be letters, digits, "
                              "'-', '_' or '.'")
        if not isinstance(url, str) or not url.strip():
            raise ConfigError(f"{source}: channel {name!r} needs an Apprise URL")
    app_url = str(data.get("app_url") or DEFAULT_APP_URL).strip()
    if not app_url.startswith(("http://", "https://")):
        raise ConfigError(f"{source}: app_url {app_url!r} must be an http:// or https:// "
                          "address")
    return ChannelSettings({str(k): v.strip() for k, v in channels.items()}, app_url, source)


def pick_channels(settings: ChannelSettings, *, names: tuple[str, ...] = (),
                  urls: tuple[str, ...] = ()) -> list[Channel]:
    """The channels a command sends to: the named ones and `--to` URLs, or every named
    channel when none is given. Every URL is checked first: nothing is sent when one is
    unknown or malformed."""
    unknown = [n for n in names if n not in settings.channels]
    if unknown:
        known = ", ".join(settings.channels) or f"none: add them to {settings.source}"
        raise ConfigError(f"unknown channel {unknown[0]!r} (channels: {known})")
    chosen = [Channel(n, settings.channels[n]) for n in (names or
                                                          (() if urls else settings.channels))]
    chosen += [Channel(shown_url(url), url.strip(), named=False) for url in urls]
    for channel in chosen:
        check_url(channel)
    return chosen


def check_url(channel: Channel) -> None:
    """Raise a ConfigError naming the channel when Apprise cannot use its URL."""
    if _plugin(channel.url) is None:
        raise ConfigError(f"channel {channel.name!r}: not a valid Apprise URL (see "
                          "https://appriseit.com/ for e-mail, Teams, Slack and webhook URLs)")


def shown_url(url: str) -> str:
    """A URL as the log shows it: its scheme and host, never its path, user or password."""
    match = re.match(r"^\s*([A-Za-z][\w+.-]*)://(?:[^@/]*@)?([^/?#]*)", url)
    return f"{match.group(1)}://{match.group(2)}" if match else url.strip()[:20]


def _plugin(url: str, *, timeout: float = READ_TIMEOUT) -> object | None:
    """Apprise's plugin for a URL, with our timeouts; None when the URL is unusable."""
    import apprise

    plugin = apprise.Apprise.instantiate(url.strip(), suppress_exceptions=True)
    if plugin is None or isinstance(plugin, bool):
        return None
    plugin.socket_connect_timeout = min(CONNECT_TIMEOUT, timeout)
    plugin.socket_read_timeout = timeout
    return plugin


def deliver(channel: Channel, message: Message, *, timeout: float = READ_TIMEOUT
            ) -> str | None:
    """Send one message to one channel; None when delivered, else why not (one line).
    E-mail gets the HTML (with a plain-text part); chat and webhooks get the text."""
    import apprise

    plugin = _plugin(channel.url, timeout=timeout)
    if plugin is None:
        return "not a valid Apprise URL"
    html = bool(message.html) and plugin.notify_format == apprise.NotifyFormat.HTML
    with apprise.LogCapture(level=logging.WARNING, fmt="%(message)s") as log:
        try:
            ok = plugin.notify(body=message.html if html else message.text,
                               title=message.title,
                               body_format=apprise.NotifyFormat.HTML if html
                               else apprise.NotifyFormat.TEXT)
        except Exception as e:  # a plugin's own bug must not stop a collect: report it
            return f"{type(e).__name__}: {e}"
        problems = [line for line in log.getvalue().splitlines() if line.strip()]
    if ok:
        return None
    return problems[-1] if problems else "the service refused the message"
