"""The roadmap, stack and KEV files: good ones read whole, bad ones refused whole with the
line or component that is wrong, hostile text neutralised."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from radar.errors import ImportFileError
from radar.org import (
    make_initiative,
    parse_cpe,
    read_cyclonedx,
    read_initiatives_csv,
    read_kev,
    read_stack_csv,
    render_initiatives_csv,
    render_stack_csv,
)

from .conftest import FIXTURES


def fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def test_roadmap_csv_reads_and_round_trips() -> None:
    initiatives = read_initiatives_csv(fixture_text("roadmap.csv"))
    assert [(i.id, i.target, i.keywords) for i in initiatives] == [
        ("move-itsm-to-servicenow", "2031-Q2", ("ServiceNow", "ITSM")),
        ("passkeys-for-customers", "2031-06-30", ("passkeys", "FIDO2")),
        ("go-services-on-kubernetes", "2031-Q4", ("Go", "Kubernetes"))]
    assert read_initiatives_csv(render_initiatives_csv(initiatives)) == initiatives


def test_hostile_text_is_plain_text() -> None:
    initiative = make_initiative("<script>alert(1)</script>Zero trust",
                                 keywords=["<b>ZTNA</b>", " ", "ZTNA"])
    assert initiative.name == "Zero trust" and initiative.keywords == ("ZTNA",)
    assert make_initiative("Passkeys").keywords == ("Passkeys",)   # the name, when no words


def test_stack_csv_reads_and_round_trips() -> None:
    items = read_stack_csv(fixture_text("stack.csv"))
    assert [(i.id, i.vendor, i.product, i.version) for i in items][:2] == [
        ("glimmerfox-gf-vpn", "Glimmerfox", "GF-VPN", "4.2"),
        ("microsoft-exchange-server", "Microsoft", "Exchange Server", "2019")]
    assert read_stack_csv(render_stack_csv(items)) == items


def test_cyclonedx_components_nested_cpe_and_versions_joined() -> None:
    items = {i.product: i for i in read_cyclonedx(fixture_text("sbom.cdx.json"))}
    assert set(items) == {"fortios", "log4j-core", "log4j-api"}
    assert (items["fortios"].vendor, items["fortios"].cpe_vendor, items["fortios"].version) \
        == ("Fortinet", "fortinet", "7.4.3; 7.2.8")
    assert items["log4j-core"].vendor == "Apache Software Foundation"
    assert items["log4j-api"].vendor == "org.apache.logging.log4j"


@pytest.mark.parametrize("read, text, problem", [
    (read_initiatives_csv, "name,owner\nA,b\n",
     "line 1: roadmap CSV columns must be name, owner, target"),
    (read_initiatives_csv, "name,owner,target,description,keywords\nA,,2031-13,,x\n",
     "line 2: target '2031-13'"),
    (read_initiatives_csv, "name,owner,target,description,keywords\n,me,,,x\n",
     "line 2: an initiative needs a name"),
    (read_initiatives_csv, "name,owner,target,description,keywords\nA,,,,x\nB,,,,y\na,,,,z\n",
     "line 4: 'a' is already on line 2"),
    (read_initiatives_csv, "name,owner,target,description,keywords\nA,,,,x,extra\n",
     "line 2: more cells"),
    (read_stack_csv, "vendor,name\nA,b\n", "columns must be vendor, product, version, owner"),
    (read_stack_csv, "vendor,product,version,owner\nAcme,,1,\n",
     "line 2: a stack item needs a product"),
    (read_stack_csv, "vendor,product,version,owner\nAcme,Box,1,\nACME,box,2,\n",
     "line 3: ACME box is already on line 2"),
    (read_cyclonedx, '{"bomFormat": "CycloneDX",\n "components": [', "line 2: not JSON"),
    (read_cyclonedx, '{"bomFormat": "SPDX"}', "not a CycloneDX SBOM"),
    (read_cyclonedx,
     '{"bomFormat": "CycloneDX", "components": [{"name": "a"}, {"version": "1"}]}',
     "component 2: a stack item needs a product name"),
    (read_cyclonedx, '{"bomFormat": "CycloneDX", "components": ["a"]}',
     "component 1: not an object"),
])
def test_bad_roadmap_stack_and_sbom_files_are_refused_whole(read: Callable[[str], list],
                                                            text: str, problem: str) -> None:
    with pytest.raises(ImportFileError, match=problem):
        read(text)


def test_cpe_names() -> None:
    assert parse_cpe("cpe:2.3:a:paloaltonetworks:pan-os:11.1:*:*:*:*:*:*:*") == \
        ("paloaltonetworks", "pan-os")
    assert parse_cpe("cpe:/a:citrix:netscaler_adc:14.1") == ("citrix", "netscaler_adc")
    assert parse_cpe("") == parse_cpe("cpe:2.3:a:*:*") == ("", "")


def test_kev_real_schema_and_unknown_fields() -> None:
    entries = {e.cve: e for e in read_kev(fixture_text("kev.json"))}
    first = entries["CVE-2031-1111"]
    assert (first.vendor, first.product, first.due_date, first.ransomware) == \
        ("Glimmerfox", "GF-VPN Gateway", "2031-04-02", True)
    assert entries["CVE-2031-2222"].notes == ""          # markup is not text
    assert entries["CVE-2031-2222"].ransomware is False


@pytest.mark.parametrize("text, problem", [
    ("[1, 2]", "not a KEV catalog"),
    ('{"vulnerabilities": [{"cveID": "CVE-2031-1"}]}', "vulnerability 1: cveID"),
    ('{"vulnerabilities": [{"cveID": "CVE-2031-1111"}, "x"]}', "vulnerability 2"),
    ("{", "line 1: not JSON"),
])
def test_bad_kev_files(text: str, problem: str) -> None:
    with pytest.raises(ImportFileError, match=problem):
        read_kev(text)


def test_kev_of_the_real_catalog(tmp_path) -> None:
    from .conftest import CORPUS

    path = CORPUS / "kev.json"
    if not path.exists():
        pytest.skip("../shared/corpus is not available")
    entries = read_kev(path.read_text(encoding="utf-8"))
    assert len(entries) == json.loads(path.read_text())["count"]
    assert all(e.cve.startswith("CVE-") and e.date_added for e in entries)


FORMULA = '=HYPERLINK("http://x","y")'


def test_exports_write_formulas_as_text_and_import_them_back_unchanged() -> None:
    from radar.org import make_stack_item
    initiative = make_initiative(FORMULA, owner="@ciso", target="2031-09-30",
                                 description="-2+3+cmd|' /C calc'!A0", keywords=["+x"])
    text = render_initiatives_csv([initiative])
    assert text.splitlines()[1].startswith('"\'=HYPERLINK(""http://x"",""y"")",\'@ciso,'
                                           "2031-09-30,'-2+3+cmd")
    assert read_initiatives_csv(text) == [initiative]
    item = make_stack_item("=cmd|' /C calc'!A0", "Excel", version="-1", owner="\tme")
    stack_text = render_stack_csv([item])
    assert stack_text.splitlines()[1] == "'=cmd|' /C calc'!A0,Excel,-1,me"  # tab folded
    assert read_stack_csv(stack_text) == [item]


def test_a_csv_field_over_128_kb_is_refused_naming_its_line() -> None:
    text = "vendor,product,version,owner\nA,B,1,me\nA,C," + "9" * 200_000 + ",me\n"
    with pytest.raises(ImportFileError, match=r"line 3: not readable as CSV .*field larger"):
        read_stack_csv(text)


@pytest.mark.parametrize("components, problem", [
    (5, '"components" must be a list'),
    ([{"name": "a", "components": 7}], 'component 1: "components" must be a list'),
])
def test_sbom_components_of_the_wrong_type_are_refused(components, problem: str) -> None:
    with pytest.raises(ImportFileError, match=problem):
        read_cyclonedx(json.dumps({"bomFormat": "CycloneDX", "components": components}))


@pytest.mark.parametrize("depth, problem", [
    (60, "component 50: components nested more than 50 deep"),
    (1000, "JSON nested too deeply to read"), (100_000, "JSON nested too deeply to read")])
def test_an_sbom_nested_deeply_is_refused_with_a_clear_error(depth: int, problem: str) -> None:
    text = ('{"bomFormat": "CycloneDX", "components": '
            + '[{"name": "p", "components": ' * depth + "[]" + "}]" * depth + "}")
    with pytest.raises(ImportFileError, match=problem):
        read_cyclonedx(text)


def test_versions_of_one_product_are_joined_within_a_cap() -> None:
    components = [{"name": "openssl", "version": f"3.0.{n}"} for n in range(30_000)]
    [item] = read_cyclonedx(json.dumps({"bomFormat": "CycloneDX", "components": components}))
    assert len(item.version) <= 200
    assert item.version.startswith("3.0.0; 3.0.1; 3.0.2")
    shown = item.version.split("; … and ")[0].count("; ") + 1
    assert item.version.endswith(f"; … and {30_000 - shown} more")
    [single] = read_cyclonedx(json.dumps({"bomFormat": "CycloneDX", "components": [
        {"name": "x", "version": "v" * 168_888}]}))
    assert len(single.version) <= 60


def test_a_latin1_kev_body_is_refused_clearly() -> None:
    body = '{"vulnerabilities": [{"cveID": "CVE-2024-0001", "vendorProject": "Caf\xe9"}]}'
    offset = body.index("\xe9")
    with pytest.raises(ImportFileError, match=rf"not UTF-8 \(byte 0xe9 at offset {offset}\)"):
        read_kev(body.encode("latin-1"))
    assert read_kev(body.encode("utf-8"))[0].vendor == "Café"


def test_a_kev_catalog_that_removes_over_half_is_refused_unless_forced() -> None:
    from radar.org import check_kev_update
    with pytest.raises(ImportFileError, match="lists 0 of the 1404 stored entries: it would "
                                              "remove more than half"):
        check_kev_update([], 1404)
    check_kev_update([], 1404, force=True)
    check_kev_update(read_kev(json.dumps({"vulnerabilities": [
        {"cveID": f"CVE-2024-{n:04d}"} for n in range(702)]})), 1404)
