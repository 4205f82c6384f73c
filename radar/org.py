"""The organisation as files (pure): the CIO's roadmap and our stack as CSV, a CycloneDX
SBOM, CISA's KEV catalog. Text in, records out, or `ImportFileError` naming the line or
component, so nothing is ever half-imported; all text is cleaned like feed text."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime
from typing import TypeVar

from radar.errors import ImportFileError
from radar.models import Initiative, KevEntry, StackItem
from radar.text import clean_text, csv_uncell, render_csv, slugify

Record = TypeVar("Record", Initiative, StackItem)
INITIATIVE_COLUMNS = ["name", "owner", "target", "description", "keywords"]
STACK_COLUMNS = ["vendor", "product", "version", "owner"]
QUARTER = re.compile(r"^\d{4}-Q[1-4]$")
CVE_ID = re.compile(r"^CVE-\d{4}-\d{4,7}$")
FIELD_MAX, DESCRIPTION_MAX, VERSION_MAX = 120, 1000, 60
VERSIONS_MAX = 200     # the versions of one product an SBOM lists, joined, at most
NESTING_MAX = 50       # components inside components, at most


def _field(value: object, max_length: int = FIELD_MAX) -> str:
    """Text from a file, as plain text (markup stripped, whitespace folded, capped)."""
    return clean_text(str(value or ""), max_length=max_length)


def _rows(text: str, columns: list[str], what: str) -> Iterable[tuple[int, dict]]:
    """(line number, row) of a CSV with exactly these columns (any order)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip().lower() for name in reader.fieldnames or ()]
    if sorted(header) != sorted(columns):
        raise ImportFileError(f"line 1: {what} CSV columns must be {', '.join(columns)} "
                              f"(found: {', '.join(header) or 'none'})")
    reader.fieldnames = header
    try:
        for row in reader:
            if None in row:   # more cells than columns
                raise ImportFileError(f"line {reader.line_num}: more cells than the "
                                      f"{len(columns)} columns")
            yield reader.line_num, {key: csv_uncell(value or "") for key, value in row.items()}
    except csv.Error as e:   # a cell over csv.field_size_limit() (128 KB), a stray NUL …
        raise ImportFileError(f"line {reader.line_num + 1}: not readable as CSV ({e})") from e


# --- the roadmap -----------------------------------------------------------------------------


def make_initiative(name: str, *, owner: str = "", target: str = "", description: str = "",
                    keywords: Iterable[str] = ()) -> Initiative:
    """An initiative from what a person typed; `ValueError` says what is wrong."""
    name = _field(name)
    if not name:
        raise ValueError("an initiative needs a name")
    target = _field(target, 20)
    if target and not _is_target(target):
        raise ValueError(f"target {target!r} is not a quarter (2026-Q3) or a date "
                         "(2026-09-30)")
    words = tuple(dict.fromkeys(w for w in (_field(k, 60) for k in keywords) if w))
    return Initiative(id=slugify(name, default="initiative"), name=name, owner=_field(owner),
                      target=target, description=_field(description, DESCRIPTION_MAX),
                      keywords=words or (name,))


def _is_target(text: str) -> bool:
    """A quarter (2026-Q3), a year, a month (2026-09) or a day (2026-09-30)."""
    if QUARTER.match(text):
        return True
    for pattern in ("%Y", "%Y-%m", "%Y-%m-%d"):
        try:
            datetime.strptime(text, pattern)
            return True
        except ValueError:
            continue
    return False


def target_end(target: str) -> str:
    """The last day a target allows, so quarters and dates sort together ('' when none):
    '2026-Q3' -> '2026-09-30', '2026' -> '2026-12-31', '2026-09' -> '2026-09-31'."""
    if QUARTER.match(target):
        year, quarter = target.split("-Q")
        return f"{year}-{3 * int(quarter):02d}-{'31' if quarter in '14' else '30'}"
    return target + {4: "-12-31", 7: "-31"}.get(len(target), "")


def read_initiatives_csv(text: str) -> list[Initiative]:
    """`name,owner,target,description,keywords` (keywords separated by ';')."""
    return _unique_rows(
        text, INITIATIVE_COLUMNS, "roadmap",
        lambda row: make_initiative(row["name"], owner=row["owner"], target=row["target"],
                                    description=row["description"],
                                    keywords=(row["keywords"] or "").split(";")),
        lambda initiative: repr(initiative.name))


def _unique_rows(text: str, columns: list[str], what: str, make: Callable[[dict], Record],
                 name: Callable[[Record], str]) -> list[Record]:
    """One record per CSV row; a bad row, or a record listed twice, is an error naming
    its line (and the line it is already on)."""
    found: dict[str, tuple[int, Record]] = {}
    for line, row in _rows(text, columns, what):
        try:
            record = make(row)
        except ValueError as e:
            raise ImportFileError(f"line {line}: {e}") from e
        if record.id in found:
            raise ImportFileError(f"line {line}: {name(record)} is already on line "
                                  f"{found[record.id][0]}")
        found[record.id] = (line, record)
    return [record for _, record in found.values()]


def render_initiatives_csv(initiatives: Iterable[Initiative]) -> str:
    return render_csv(INITIATIVE_COLUMNS, ([i.name, i.owner, i.target, i.description,
                                            "; ".join(i.keywords)] for i in initiatives))


# --- our stack -------------------------------------------------------------------------------


def make_stack_item(vendor: str, product: str, *, version: str = "", owner: str = "",
                    cpe: str = "") -> StackItem:
    """A stack item from typed or imported values; `ValueError` says what is wrong."""
    vendor, product = _field(vendor), _field(product)
    cpe_vendor, cpe_product = parse_cpe(cpe)
    vendor = vendor or cpe_vendor.replace("_", " ").title()
    product = product or cpe_product.replace("_", " ")
    if not product:
        raise ValueError("a stack item needs a product name")
    return StackItem(id=slugify(f"{vendor} {product}", default="item"), vendor=vendor,
                     product=product, version=_field(version, VERSION_MAX), owner=_field(owner),
                     cpe_vendor=cpe_vendor, cpe_product=cpe_product)


def parse_cpe(cpe: str) -> tuple[str, str]:
    """(vendor, product) of a CPE 2.3 (`cpe:2.3:a:fortinet:fortios:7.2`) or 2.2 name."""
    parts = (cpe or "").strip().removeprefix("cpe:2.3:").removeprefix("cpe:/").split(":")
    if len(parts) < 3 or parts[1] in ("", "*", "-"):
        return "", ""
    product = parts[2] if parts[2] not in ("*", "-") else ""
    return parts[1].lower(), product.lower()


def read_stack_csv(text: str) -> list[StackItem]:
    """`vendor,product,version,owner`; a product listed twice is an error."""
    return _unique_rows(
        text, STACK_COLUMNS, "stack",
        lambda row: make_stack_item(row["vendor"], row["product"], version=row["version"],
                                    owner=row["owner"]),
        lambda item: f"{item.vendor} {item.product}")


def read_cyclonedx(text: str) -> list[StackItem]:
    """Components of a CycloneDX JSON SBOM (nested ones too). The vendor comes from the
    CPE, else the supplier, publisher or group; versions of one product are joined (at
    most `VERSIONS_MAX` characters: the rest is counted, "… and 40 more")."""
    bom = _json(text)
    if not isinstance(bom, dict) or bom.get("bomFormat") != "CycloneDX":
        raise ImportFileError("not a CycloneDX SBOM (no \"bomFormat\": \"CycloneDX\")")
    items: dict[str, StackItem] = {}
    versions: dict[str, list[str]] = {}   # per item, its versions as listed
    for number, component in enumerate(_components(bom.get("components") or []), start=1):
        if not isinstance(component, dict):
            raise ImportFileError(f"component {number}: not an object")
        supplier = component.get("supplier") or {}
        vendor = (supplier.get("name") if isinstance(supplier, dict) else "") \
            or component.get("publisher") or component.get("group") or ""
        try:
            item = make_stack_item("" if component.get("cpe") else vendor,
                                   str(component.get("name") or ""),
                                   version=str(component.get("version") or ""),
                                   cpe=str(component.get("cpe") or ""))
        except ValueError as e:
            raise ImportFileError(f"component {number}: {e}") from e
        items.setdefault(item.id, item)  # one product in several versions: one item
        versions.setdefault(item.id, []).append(item.version)
    return [replace(item, version=_joined(versions[item.id])) for item in items.values()]



def _json(text: str) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise ImportFileError(f"line {e.lineno}: not JSON ({e.msg})") from e
    except RecursionError as e:
        raise ImportFileError("JSON nested too deeply to read") from e


def _components(components: object) -> Iterable[object]:
    """Every component, nested ones after their parent, at most `NESTING_MAX` deep
    (walked without recursion, so depth cannot exhaust the stack)."""
    if components is None:
        return
    if not isinstance(components, list):
        raise ImportFileError("\"components\" must be a list of components")
    stack: list[tuple[int, list]] = [(1, components[::-1])]
    number = 0
    while stack:
        depth, todo = stack[-1]
        if not todo:
            stack.pop()
            continue
        component = todo.pop()
        number += 1
        yield component
        inner = component.get("components") if isinstance(component, dict) else None
        if inner is None:
            continue
        if not isinstance(inner, list):
            raise ImportFileError(f"component {number}: \"components\" must be a list")
        if depth >= NESTING_MAX:
            raise ImportFileError(f"component {number}: components nested more than "
                                  f"{NESTING_MAX} deep")
        stack.append((depth + 1, inner[::-1]))


def _joined(versions: list[str]) -> str:
    """'1.0; 1.1; … and 40 more' within `VERSIONS_MAX` characters, each version once, in
    the order listed; joined at the end, not per component, so 20,000 versions take no
    longer than 20 do."""
    versions = list(dict.fromkeys(filter(None, versions)))
    shown: list[str] = []
    for count, version in enumerate(versions, start=1):
        rest = len(versions) - count
        if len("; ".join([*shown, version]) + (f"; … and {rest} more" if rest else "")) \
                > VERSIONS_MAX:
            break
        shown.append(version)
    rest = len(versions) - len(shown)
    return "; ".join(shown) + (f"; … and {rest} more" if rest else "")


def read_stack_file(text: str) -> list[StackItem]:
    """A stack file, CSV or CycloneDX JSON (told apart by its content, not its name)."""
    return read_cyclonedx(text) if text.lstrip().startswith("{") else read_stack_csv(text)


def render_stack_csv(items: Iterable[StackItem]) -> str:
    return render_csv(STACK_COLUMNS, ([item.vendor, item.product, item.version, item.owner]
                                      for item in items))


# --- CISA's Known Exploited Vulnerabilities ----------------------------------------------------


def read_kev(text: str | bytes) -> list[KevEntry]:
    """CISA's KEV catalog JSON (text, or UTF-8 bytes as fetched); fields we do not use
    are ignored, missing ones are empty."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise ImportFileError(f"not UTF-8 (byte {text[e.start]:#04x} at offset {e.start});"
                                  " a KEV catalog is UTF-8 JSON") from e
    catalog = _json(text)
    entries = catalog.get("vulnerabilities") if isinstance(catalog, dict) else None
    if not isinstance(entries, list):
        raise ImportFileError("not a KEV catalog (no \"vulnerabilities\" list)")
    found: dict[str, KevEntry] = {}
    for number, raw in enumerate(entries, start=1):
        cve = str(raw.get("cveID") or "").strip().upper() if isinstance(raw, dict) else ""
        if not CVE_ID.match(cve):
            raise ImportFileError(f"vulnerability {number}: cveID {cve or '(none)'!r} is not "
                                  "a CVE id")
        found[cve] = KevEntry(
            cve=cve, vendor=_field(raw.get("vendorProject")), product=_field(raw.get("product")),
            name=_field(raw.get("vulnerabilityName"), 200),
            date_added=_field(raw.get("dateAdded"), 10), due_date=_field(raw.get("dueDate"), 10),
            ransomware=str(raw.get("knownRansomwareCampaignUse", "")).lower() == "known",
            required_action=_field(raw.get("requiredAction"), DESCRIPTION_MAX),
            notes=_field(raw.get("notes"), DESCRIPTION_MAX))
    return list(found.values())


def check_kev_update(entries: list[KevEntry], stored: int, *, force: bool = False) -> None:
    """Refuse a catalog that would remove more than half of the stored entries (an empty
    or cut download must not wipe the catalog) unless `force`; `ImportFileError` says so."""
    if not force and stored and len(entries) < stored / 2:
        raise ImportFileError(f"the catalog lists {len(entries)} of the {stored} stored "
                              "entries: it would remove more than half of them, so it was "
                              "refused and the stored catalog kept (--force replaces it)")
