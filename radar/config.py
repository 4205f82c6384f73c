"""feeds.yaml -> frozen `Feed` and `Settings` records, with errors naming file, line, problem."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from radar.errors import ConfigError
from radar.models import Feed, Quadrant

FEED_KEYS = {"name", "url", "category", "weight", "enabled", "site"}
REQUIRED_KEYS = ("name", "url", "category")
CATEGORY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def load_feeds(path: str | Path) -> list[Feed]:
    """Read and validate a feeds file; every problem found is reported at once."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as e:
        raise ConfigError(f"{path}: feeds file not found") from e
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"{path}: cannot read feeds file ({e})") from e
    return parse_feeds(text, source=str(path))


def parse_feeds(text: str, *, source: str = "feeds.yaml") -> list[Feed]:
    """Validate feeds YAML text. Works on YAML nodes (not plain dicts) to keep line numbers."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as e:
        line = e.problem_mark.line + 1 if e.problem_mark else 0
        raise ConfigError(f"{source}:{line}: invalid YAML: {e.problem}") from e
    if root is None:
        raise ConfigError(f"{source}:1: empty file, expected a 'feeds:' list")
    if not isinstance(root, yaml.MappingNode):
        raise ConfigError(f"{source}:{_line(root)}: expected a mapping with a 'feeds:' list")
    top = _mapping(root, source, allowed={"settings", "feeds"})
    feeds_node = top.get("feeds")
    if not isinstance(feeds_node, yaml.SequenceNode):
        at = _line(feeds_node) if feeds_node is not None else _line(root)
        raise ConfigError(f"{source}:{at}: 'feeds' must be a list of feeds")

    problems: list[str] = []
    feeds: list[Feed] = []
    seen_names: dict[str, int] = {}
    seen_urls: dict[str, int] = {}
    for node in feeds_node.value:
        feed_problems: list[str] = []
        feed = _parse_feed(node, source, feed_problems)
        line = _line(node)
        for what, key, seen in (("name", _key_text(node, "name").casefold(), seen_names),
                                ("url", _key_text(node, "url"), seen_urls)):
            if key in seen:
                feed_problems.append(f"{source}:{line}: duplicate feed {what} {key!r} "
                                     f"(first at line {seen[key]})")
            elif key:
                seen[key] = line
        problems += feed_problems
        if feed is not None and not feed_problems:
            feeds.append(feed)
    if problems:
        raise ConfigError("\n".join(problems))
    return feeds


def _key_text(node: yaml.Node, key: str) -> str:
    """A feed's name or url as written (to spot duplicates even in a feed with other
    problems), '' when absent or not a single value."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.value == key and isinstance(value_node, yaml.ScalarNode):
                return str(value_node.value).strip()
    return ""


def _parse_feed(node: yaml.Node, source: str, problems: list[str]) -> Feed | None:
    """The feed of one list entry; every problem it has is added to `problems` (None when
    it cannot be built at all)."""
    line = _line(node)
    if not isinstance(node, yaml.MappingNode):
        problems.append(f"{source}:{line}: each feed must be a mapping with name, url, category")
        return None
    try:
        fields = _mapping(node, source, allowed=FEED_KEYS)
    except ConfigError as e:
        problems.append(str(e))
        fields = {key_node.value: value for key_node, value in node.value
                  if key_node.value in FEED_KEYS}
    missing = [key for key in REQUIRED_KEYS if key not in fields]
    if missing:
        problems.append(f"{source}:{line}: feed is missing {', '.join(missing)}")
    values = {}
    for key, value in fields.items():
        try:
            values[key] = _scalar(value, key, source)
        except ConfigError as e:
            problems.append(str(e))
    if missing or set(values) != set(fields):
        return None
    name, url, category = (str(values[key]).strip() for key in REQUIRED_KEYS)
    at = {key: f"{source}:{_line(value)}: feed {name!r}:" for key, value in fields.items()}
    if not name:
        problems.append(f"{source}:{line}: feed name is empty")
    if not url.lower().startswith(("http://", "https://")) or len(url) < 12:
        problems.append(f"{at['url']} url {url!r} must be an http:// or https:// address")
    if not CATEGORY_PATTERN.match(category):
        problems.append(f"{at['category']} category {category!r} must be lower-case words "
                        "joined by '-'")
    weight = values.get("weight", 1.0)
    if isinstance(weight, bool) or not isinstance(weight, int | float) or weight <= 0:
        problems.append(f"{at['weight']} weight must be a positive number")
        weight = 1.0
    enabled = values.get("enabled", True)
    if not isinstance(enabled, bool):
        problems.append(f"{at['enabled']} enabled must be true or false")
    site = str(values.get("site") or "").strip().lower().removeprefix("www.")
    if site and not re.fullmatch(r"[a-z0-9.-]+\.[a-z]{2,}", site):
        problems.append(f"{at['site']} site {site!r} must be a host name such as "
                        "thehackernews.com")
    return Feed(name=name, url=url, category=category, weight=float(weight),
                enabled=enabled is not False, site=site)


def _mapping(node: yaml.MappingNode, source: str, *, allowed: set[str]) -> dict[str, yaml.Node]:
    """Key -> value node, rejecting unknown and repeated keys (PyYAML silently keeps the last)."""
    result: dict[str, yaml.Node] = {}
    for key_node, value_node in node.value:
        key = key_node.value
        if key not in allowed:
            raise ConfigError(f"{source}:{_line(key_node)}: unknown key {key!r} "
                              f"(expected one of: {', '.join(sorted(allowed))})")
        if key in result:
            raise ConfigError(f"{source}:{_line(key_node)}: key {key!r} given twice")
        result[key] = value_node
    return result


def _scalar(node: yaml.Node, key: str, source: str) -> object:
    if not isinstance(node, yaml.ScalarNode):
        raise ConfigError(f"{source}:{_line(node)}: {key} must be a single value")
    return yaml.SafeLoader("").construct_object(node, deep=True)


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def append_feeds(path: str | Path, feeds: list[Feed]) -> None:
    """Append feeds to the end of a feeds file, leaving its comments and layout untouched.

    Appending text (rather than re-dumping the YAML) is what keeps a hand-curated file
    readable; it needs `feeds:` to be the file's last top-level key, which is checked by
    reading the result back before anything is written.
    """
    path = Path(path)
    existing = path.read_text(encoding="utf-8") if path.exists() else "feeds:\n"
    entries = [
        {"name": f.name, "url": f.url, "category": f.category}
        | ({"weight": f.weight} if f.weight != 1.0 else {})
        | ({"site": f.site} if f.site else {})
        | ({} if f.enabled else {"enabled": False})
        for f in feeds
    ]
    block = yaml.safe_dump(entries, sort_keys=False, allow_unicode=True, width=200)
    first_item = re.search(r"^( *)- ", existing, flags=re.MULTILINE)
    indent = first_item.group(1) if first_item else "  "
    indented = "".join(f"{indent}{line}\n" for line in block.splitlines())
    separator = "" if existing.endswith("\n") else "\n"
    new_text = existing + separator + indented
    before = len(parse_feeds(existing, source=str(path))) if path.exists() else 0
    if len(parse_feeds(new_text, source=str(path))) != before + len(feeds):
        raise ConfigError(f"{path}: cannot append feeds: 'feeds:' must be the last section")
    path.write_text(new_text, encoding="utf-8")


# --- settings --------------------------------------------------------------------------

DEFAULT_QUADRANTS = (
    Quadrant("Threats & Vulnerabilities", (
        "ransomware", "exploit", "exploited", "exploitation", "vulnerability", "zero-day",
        "zero day", "cve", "malware", "botnet", "phishing", "breach", "backdoor", "apt",
        "attack", "hackers", "stealer", "worm", "flaw", "flaws", "espionage", "ddos"), (
        ("adopt", "act now: it concerns us and our countermeasures apply"),
        ("assess", "check our exposure and our defences"),
        ("hold", "watch: no action for us now"))),
    Quadrant("Security Tools & Practices", (
        "detection", "edr", "xdr", "siem", "soc", "zero trust", "mfa", "passkey", "passkeys",
        "authentication", "threat intelligence", "incident response", "patch management",
        "pentest", "red team", "sbom", "identity", "password", "encryption", "backup"), (
        ("adopt", "use it: proven, roll it out"),
        ("assess", "try it: pilot where it fits"),
        ("hold", "not now: wait, or avoid"))),
    Quadrant("Technology & Platforms", (
        "ai", "llm", "genai", "agent", "agents", "cloud", "aws", "azure", "kubernetes",
        "container", "npm", "pypi", "github", "open source", "browser", "chrome", "windows",
        "linux", "android", "ios", "iot", "quantum", "api", "saas", "crypto"), (
        ("adopt", "support it: the business may use it, with our guardrails"),
        ("assess", "evaluate it: work out risks and controls before use"),
        ("hold", "hold back: not ready for us, keep watching"))),
    Quadrant("Regulation & Governance", (
        "regulation", "law", "act", "directive", "nis2", "dora", "gdpr", "sec", "fine",
        "fined", "lawsuit", "court", "sanctions", "policy", "compliance", "government",
        "congress", "senate", "ban", "privacy", "arrested", "charged", "sentenced"), (
        ("adopt", "comply now: it applies to us and is in force"),
        ("assess", "prepare: work out what it asks of us"),
        ("hold", "watch: not binding yet, or not for us"))),
)
DEFAULT_VENDORS = (
    "Microsoft", "Google", "Apple", "Cisco", "Ivanti", "Fortinet", "Palo Alto Networks",
    "Citrix", "VMware", "Oracle", "SAP", "Atlassian", "Adobe", "Mozilla", "Progress",
    "MOVEit", "Cleo", "Okta", "CrowdStrike", "SonicWall", "Juniper", "F5", "Zyxel",
    "D-Link", "TP-Link", "Synology", "QNAP", "Veeam", "ConnectWise", "Kaseya", "SolarWinds",
    "Jenkins", "GitLab", "GitHub", "npm", "PyPI", "WordPress", "Chrome", "Android", "iOS",
    "Windows", "Linux", "Exchange", "SharePoint", "Outlook", "Salesforce", "Snowflake",
    "AWS", "Azure", "Cloudflare", "OpenAI", "ChatGPT", "Anthropic", "Nvidia", "Samsung",
    "Siemens", "Schneider Electric", "Rockwell", "Check Point", "SonicOS", "Confluence",
)


@dataclass(frozen=True)
class Settings:
    """The radar's knobs: analysis windows, rings, quadrants and entity vocabulary."""

    window_days: int = 90           # events: the history one analysis clusters
    recent_days: int = 7            # events: the "now" compared with the rest
    theme_window_days: int = 365    # themes: the history they are found in
    theme_recent_days: int = 28     # themes: the "now" their momentum is measured over
    min_stories: int = 3            # a trend flagged emerging or rising has at least this
    min_sources: int = 1            # many recent stories, from at least this many sites
    max_flagged: int = 25           # at most this many flagged in one analysis, best first
    max_new_weekly: int = 15        # at most this many newly flagged in 7 days, best first
    radar_per_quadrant: int = 15    # blips per quadrant on the radar picture
    rings: tuple[str, ...] = ("adopt", "assess", "hold")
    quadrants: tuple[Quadrant, ...] = DEFAULT_QUADRANTS
    default_quadrant: str = "Technology & Platforms"
    vendors: tuple[str, ...] = DEFAULT_VENDORS
    allow_private_networks: bool = False   # fetch intranet feeds (never cloud metadata)


NUMBER_KEYS = ("window_days", "recent_days", "theme_window_days", "theme_recent_days",
               "min_stories", "min_sources", "max_flagged", "max_new_weekly",
               "radar_per_quadrant")
SETTING_KEYS = {*NUMBER_KEYS, "rings", "quadrants", "default_quadrant", "vendors",
                "allow_private_networks"}


def load_settings(path: str | Path) -> Settings:
    """The `settings:` section of a feeds file (defaults for whatever it leaves out)."""
    path = Path(path)
    if not path.exists():
        return Settings()
    text = path.read_text(encoding="utf-8")
    parse_feeds(text, source=str(path))  # the same syntax checks and messages
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    node = _mapping(root, str(path), allowed={"settings", "feeds"}).get("settings")
    return parse_settings(node, source=str(path)) if node is not None else Settings()


def parse_settings(node: yaml.Node, *, source: str) -> Settings:
    if not isinstance(node, yaml.MappingNode):
        raise ConfigError(f"{source}:{_line(node)}: 'settings' must be a mapping")
    fields = _mapping(node, source, allowed=SETTING_KEYS)
    values: dict[str, object] = {}
    for key in NUMBER_KEYS:
        if key in fields:
            value = _scalar(fields[key], key, source)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ConfigError(f"{source}:{_line(fields[key])}: {key} must be a whole "
                                  "number of at least 1")
            values[key] = value
    for key in ("rings", "vendors"):
        if key in fields:
            values[key] = _string_list(fields[key], key, source, minimum=2 if key == "rings" else 0)
    rings = values.get("rings", Settings.rings)
    if "quadrants" in fields:
        values["quadrants"] = _quadrants(fields["quadrants"], source, rings=rings)
    elif "rings" in fields:  # the default quadrants' ring meanings are for the default rings
        values["quadrants"] = tuple(Quadrant(q.name, q.terms, tuple(
            (ring, meaning) for ring, meaning in q.meanings if ring in rings))
            for q in DEFAULT_QUADRANTS)
    if "allow_private_networks" in fields:
        allow = _scalar(fields["allow_private_networks"], "allow_private_networks", source)
        if not isinstance(allow, bool):
            raise ConfigError(f"{source}:{_line(fields['allow_private_networks'])}: "
                              "allow_private_networks must be true or false")
        values["allow_private_networks"] = allow
    if "default_quadrant" in fields:
        values["default_quadrant"] = str(_scalar(fields["default_quadrant"], "default_quadrant",
                                                 source))
    settings = Settings(**values)
    names = [q.name for q in settings.quadrants]
    if settings.default_quadrant not in names:
        at = _line(fields.get("default_quadrant", node))
        raise ConfigError(f"{source}:{at}: default_quadrant {settings.default_quadrant!r} is "
                          f"not one of the quadrants ({', '.join(names)})")
    if settings.recent_days >= settings.window_days:
        raise ConfigError(f"{source}:{_line(node)}: recent_days must be shorter than window_days")
    if settings.theme_recent_days >= settings.theme_window_days:
        raise ConfigError(f"{source}:{_line(node)}: theme_recent_days must be shorter than "
                          "theme_window_days")
    return settings


def _string_list(node: yaml.Node, key: str, source: str, *, minimum: int) -> tuple[str, ...]:
    if not isinstance(node, yaml.SequenceNode) or not all(
            isinstance(item, yaml.ScalarNode) and str(item.value).strip() for item in node.value):
        raise ConfigError(f"{source}:{_line(node)}: {key} must be a list of names")
    items = tuple(str(item.value).strip() for item in node.value)
    if len(items) < minimum or len(set(items)) != len(items):
        raise ConfigError(f"{source}:{_line(node)}: {key} needs at least {minimum} distinct names")
    return items


def _quadrants(node: yaml.Node, source: str, *, rings: tuple[str, ...]
               ) -> tuple[Quadrant, ...]:
    if not isinstance(node, yaml.SequenceNode) or len(node.value) != 4:
        raise ConfigError(f"{source}:{_line(node)}: quadrants must be a list of exactly four")
    quadrants = []
    for item in node.value:
        if not isinstance(item, yaml.MappingNode):
            raise ConfigError(f"{source}:{_line(item)}: a quadrant needs a name and terms")
        fields = _mapping(item, source, allowed={"name", "terms", "rings"})
        if "name" not in fields or "terms" not in fields:
            raise ConfigError(f"{source}:{_line(item)}: a quadrant needs a name and terms")
        meanings = _meanings(fields["rings"], source, rings) if "rings" in fields else ()
        quadrants.append(Quadrant(str(_scalar(fields["name"], "name", source)),
                                  _string_list(fields["terms"], "terms", source, minimum=1),
                                  meanings))
    if len({q.name for q in quadrants}) != 4:
        raise ConfigError(f"{source}:{_line(node)}: quadrant names must be distinct")
    return tuple(quadrants)


def _meanings(node: yaml.Node, source: str, rings: tuple[str, ...]
              ) -> tuple[tuple[str, str], ...]:
    """`rings: {adopt: "act now: …", …}` in a quadrant: what each ring means for it."""
    if not isinstance(node, yaml.MappingNode):
        raise ConfigError(f"{source}:{_line(node)}: a quadrant's rings must map each ring "
                          "to what it means, e.g. {adopt: act now}")
    meanings = []
    for key_node, value_node in node.value:
        if key_node.value not in rings:
            raise ConfigError(f"{source}:{_line(key_node)}: {key_node.value!r} is not a ring "
                              f"({', '.join(rings)})")
        meanings.append((key_node.value, str(_scalar(value_node, key_node.value, source))))
    return tuple(meanings)
