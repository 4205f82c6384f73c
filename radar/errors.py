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


class AccessDenied(RadarError):
    """Someone who may only read the radar tried to change it."""


class ExportError(RadarError):
    """An edition cannot be written in a format: the tool it is for would refuse or
    misdraw it (five rings for a four-ring radar, say)."""


class NotFoundError(RadarError):
    """A trend id (or other named record) does not exist."""


class StaleDataError(RadarError):
    """An undated analysis found nothing recent: it would empty the radar, so it is not
    saved. The message says where the stored data ends and what to run instead."""

    def __init__(self, message: str, *, newest: str | None) -> None:
        super().__init__(message)
        self.newest = newest


class DeliveryError(RadarError):
    """A notification could not be delivered to one or more channels; each is named, and
    the alerts it carried are tried again on the next run."""
