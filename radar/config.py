"""feeds.yaml -> frozen `Feed` records, with errors that name the file, line and problem."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from radar.errors import ConfigError
from radar.models import Feed

FEED_KEYS = {"name", "url", "category", "weight", "enabled"}
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
    top = _mapping(root, source, allowed={"feeds"})
    feeds_node = top.get("feeds")
    if not isinstance(feeds_node, yaml.SequenceNode):
        at = _line(feeds_node) if feeds_node is not None else _line(root)
        raise ConfigError(f"{source}:{at}: 'feeds' must be a list of feeds")

    problems: list[str] = []
    feeds: list[Feed] = []
    seen_names: dict[str, int] = {}
    seen_urls: dict[str, int] = {}
    for node in feeds_node.value:
        try:
            feed = _parse_feed(node, source)
        except ConfigError as e:
            problems.append(str(e))
            continue
        line = _line(node)
        for key, seen in ((feed.name.casefold(), seen_names), (feed.url, seen_urls)):
            if key in seen:
                what = "name" if seen is seen_names else "url"
                problems.append(
                    f"{source}:{line}: duplicate feed {what} {key!r} (first at line {seen[key]})"
                )
            else:
                seen[key] = line
        feeds.append(feed)
    if problems:
        raise ConfigError("\n".join(problems))
    return feeds


def _parse_feed(node: yaml.Node, source: str) -> Feed:
    line = _line(node)
    if not isinstance(node, yaml.MappingNode):
        raise ConfigError(f"{source}:{line}: each feed must be a mapping with name, url, category")
    fields = _mapping(node, source, allowed=FEED_KEYS)
    missing = [key for key in REQUIRED_KEYS if key not in fields]
    if missing:
        raise ConfigError(f"{source}:{line}: feed is missing {', '.join(missing)}")
    values = {key: _scalar(value, key, source) for key, value in fields.items()}
    name, url, category = (str(values[key]).strip() for key in REQUIRED_KEYS)
    if not name:
        raise ConfigError(f"{source}:{line}: feed name is empty")
    if not url.lower().startswith(("http://", "https://")) or len(url) < 12:
        raise ConfigError(f"{source}:{_line(fields['url'])}: feed {name!r}: url {url!r} "
                          "must be an http:// or https:// address")
    if not CATEGORY_PATTERN.match(category):
        raise ConfigError(f"{source}:{_line(fields['category'])}: feed {name!r}: category "
                          f"{category!r} must be lower-case words joined by '-'")
    weight = values.get("weight", 1.0)
    if isinstance(weight, bool) or not isinstance(weight, int | float) or weight <= 0:
        raise ConfigError(f"{source}:{_line(fields['weight'])}: feed {name!r}: weight must be "
                          "a positive number")
    enabled = values.get("enabled", True)
    if not isinstance(enabled, bool):
        raise ConfigError(f"{source}:{_line(fields['enabled'])}: feed {name!r}: enabled must be "
                          "true or false")
    return Feed(name=name, url=url, category=category, weight=float(weight), enabled=enabled)


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
    readable; it works because `feeds:` is the only top-level key `parse_feeds` accepts.
    """
    path = Path(path)
    existing = path.read_text(encoding="utf-8") if path.exists() else "feeds:\n"
    entries = [
        {"name": f.name, "url": f.url, "category": f.category}
        | ({"weight": f.weight} if f.weight != 1.0 else {})
        | ({} if f.enabled else {"enabled": False})
        for f in feeds
    ]
    block = yaml.safe_dump(entries, sort_keys=False, allow_unicode=True, width=200)
    first_item = re.search(r"^( *)- ", existing, flags=re.MULTILINE)
    indent = first_item.group(1) if first_item else "  "
    indented = "".join(f"{indent}{line}\n" for line in block.splitlines())
    separator = "" if existing.endswith("\n") else "\n"
    new_text = existing + separator + indented
    parse_feeds(new_text, source=str(path))  # never write a file we could not read back
    path.write_text(new_text, encoding="utf-8")
