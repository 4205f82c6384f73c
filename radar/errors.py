"""Typed errors raised by the library; only the CLI and the app turn them into messages."""


class RadarError(Exception):
    """Base of every error Trend Radar raises on purpose."""


class ConfigError(RadarError):
    """feeds.yaml (or another settings file) is missing, unreadable or invalid."""


class FeedError(RadarError):
    """One feed could not be fetched or parsed; the run goes on without it."""


class StoreError(RadarError):
    """The SQLite store cannot be opened or written."""


class ImportFileError(RadarError):
    """An import file (JSON Lines archive, OPML) cannot be read at all."""


class NotFoundError(RadarError):
    """A trend id (or other named record) does not exist."""
