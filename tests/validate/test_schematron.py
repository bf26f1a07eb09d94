"""Our ISO Schematron engine: lxml.isoschematron agreement, the XJustiz rules, and the details."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree, isoschematron

from interop.errors import SchemaError, UnreadableInput
from interop.validate.findings import Finding, Severity
from interop.validate.locate import named_xpath
from interop.validate.schematron import compile_schematron
from interop.validate.xpath_text import anchor_paths, context_expression
from interop.xmlio import parse_bytes, parse_file

CASES = Path(__file__).resolve().parents[1] / "cases"
# The shared fixtures sit next to the project; they are read in place, never copied.
FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "fixtures"
RULES = CASES / "schematron"
XJUSTIZ_SAMPLES = CASES / "xjustiz" / "schematron"
XJUSTIZ_RULES = FIXTURES / "xjustiz-3.6.2" / "schematron"
SVRL = "{http://purl.oclc.org/dsdl/svrl}"
COMMON = "urn:example:common:1"
PREFIXES = {"urn:example:request:1": "req", COMMON: "c"}


def write_schema(folder: Path, body: str, *, binding: str = "xslt", attrs: str = "") -> Path:
    """A Schematron file with ``c`` bound to the common namespace around ``body``."""
    path = folder / "rules.sch"
    path.write_text(
        '<sch:schema xmlns:sch="http://purl.oclc.org/dsdl/schematron" '
        f'queryBinding="{binding}" {attrs}>\n'
        f'  <sch:ns prefix="c" uri="{COMMON}"/>\n{body}\n</sch:schema>\n',
        encoding="utf-8",
    )
    return path


def document(body: str) -> etree._ElementTree:
    return parse_bytes(f'<c:doc xmlns:c="{COMMON}">{body}</c:doc>'.encode(), "doc.xml")


def rule_ids(findings: list[Finding]) -> list[str]:
    return [f.rule for f in findings]


# 1. Agreement with lxml.isoschematron on an XPath 1 schema -------------------------------


def svrl_failures(tree: etree._ElementTree, schema: Path) -> set[tuple[str, str, str]]:
    """(rule id, named xpath, message) of every failed assert and successful report of lxml."""
    validator = isoschematron.Schematron(parse_file(schema), store_report=True)
    validator.validate(tree)
    report = validator.validation_report
    assert report is not None
    found, pattern_id, rule_id = set(), None, None
    for entry in report.getroot().iterchildren("{*}*"):
        if entry.tag == f"{SVRL}active-pattern":
            pattern_id, rule_id = entry.get("id"), None
        elif entry.tag == f"{SVRL}fired-rule":
            rule_id = entry.get("id")
        elif entry.tag in (f"{SVRL}failed-assert", f"{SVRL}successful-report"):
            nodes = tree.xpath(str(entry.get("location")))
            assert isinstance(nodes, list)
            assert len(nodes) == 1
            node = nodes[0]
            assert isinstance(node, etree._Element)
            rule = entry.get("id") or rule_id or pattern_id or "schematron"
            message = " ".join(str(entry.findtext(f"{SVRL}text")).split())
            found.add((rule, named_xpath(node, PREFIXES), message))
    return found


@pytest.mark.parametrize("sample", sorted(RULES.glob("crosscheck*.xml")), ids=lambda p: p.stem)
def test_findings_match_lxml_isoschematron(sample: Path) -> None:
    schema = RULES / "crosscheck.sch"
    tree = parse_file(sample)
    ours = {(f.rule, f.xpath, f.message) for f in compile_schematron(schema).validate(tree)}
    assert ours == svrl_failures(tree, schema)


def test_crosscheck_sample_fires_in_document_order_then_rule_order() -> None:
    findings = compile_schematron(RULES / "crosscheck.sch").validate(
        parse_file(RULES / "crosscheck-invalid.xml")
    )
    assert rule_ids(findings) == [
        "REQ-DATE",  # the root: the inlined abstract rule comes first, as written
        "REQ-001",
        "REQ-002",
        "PER-001",  # person 1: first rule (with id) only
        "PER-002",
        "PER-004",
        "CODE-001",
        "PER-003",  # person 2 has no id: only the second rule sees it
        "PER-004",
        "codes",  # no rule or report id: the pattern id
        "REQ-DATE",
        "CODE-001",
        "LANG-001",  # a let holding attribute nodes, used inside a predicate
        "LANG-002",
    ]
    first = findings[3]
    assert first.message == "Person p1 needs a name."
    assert first.xpath == "/req:evidenceRequest/req:persons/c:person[1]"
    assert first.line == 5
    assert first.column is None
    assert findings[1].message == "At most 3 persons, found 4."
    assert findings[7].message == "Each of the 4 persons needs an id."
    assert findings[9].severity is Severity.WARNING
    assert findings[9].message == "Empty language attribute on c:name."


def test_valid_sample_has_no_findings() -> None:
    schema = compile_schematron(RULES / "crosscheck.sch")
    assert schema.query_binding == "xpath1"
    assert schema.validate(parse_file(RULES / "crosscheck-valid.xml")) == []


# 2. The official XJustiz rules (XPath 2) -------------------------------------------------


@pytest.mark.parametrize("rules", sorted(XJUSTIZ_RULES.glob("*.sch")), ids=lambda p: p.name)
def test_xjustiz_rules_compile_with_xpath2(fixtures: Path, rules: Path) -> None:
    assert compile_schematron(rules).query_binding == "xpath2"


def manifest() -> list[tuple[str, str, list[str]]]:
    """(sample, rules file, expected rule ids) for each line of the samples' manifest."""
    rows = []
    for line in (XJUSTIZ_SAMPLES / "manifest.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            sample, rules, *expected = line.split()
            rows.append((sample, rules, [] if expected == ["-"] else expected))
    return rows


@pytest.mark.parametrize(
    ("sample", "rules", "expected"), [pytest.param(*row, id=row[0]) for row in manifest()]
)
def test_xjustiz_sample_fires_exactly(
    fixtures: Path, sample: str, rules: str, expected: list[str]
) -> None:
    findings = compile_schematron(XJUSTIZ_RULES / rules).validate(
        parse_file(XJUSTIZ_SAMPLES / sample)
    )
    assert rule_ids(findings) == expected


def test_every_xjustiz_sample_is_in_the_manifest() -> None:
    listed = {row[0] for row in manifest()}
    assert listed == {p.name for p in XJUSTIZ_SAMPLES.glob("*.xml")}
    assert {rules for _, rules, _ in manifest()} == {p.name for p in XJUSTIZ_RULES.glob("*.sch")}


def test_xjustiz_finding_names_the_offence_without_delikt(fixtures: Path) -> None:
    findings = compile_schematron(XJUSTIZ_RULES / "xjustiz.straf_1_2.sch").validate(
        parse_file(XJUSTIZ_SAMPLES / "straf-SCH-STRAF-0002-tat-ohne-delikt.xml")
    )
    assert findings == [
        Finding(
            Severity.ERROR,
            "SCH-STRAF-0002",
            "[SCH-STRAF-0002] In diesem Kommunikationsszenario muss das Element 'delikt' "
            "mindestens einmal übermittelt werden.",
            line=8,
            xpath="/tns:nachricht.straf.ermittlungsErkenntnisverfahren.0500001"
            "/tns:fachdaten/tns:tat[1]",
        )
    ]


# 3. Severity, messages, ids and errors in the rules file ----------------------------------


@pytest.mark.parametrize(
    ("attribute", "expected"),
    [
        ('role="error"', Severity.ERROR),
        ('role="fatal"', Severity.ERROR),
        ('role="failure"', Severity.ERROR),
        ('role="Warning"', Severity.WARNING),
        ('role="warn"', Severity.WARNING),
        ('role="info"', Severity.WARNING),
        ('role="information"', Severity.WARNING),
        ("", Severity.ERROR),
        ('flag="warning"', Severity.WARNING),
        ('role="error" flag="warning"', Severity.ERROR),
    ],
)
def test_severity_from_role_then_flag(tmp_path: Path, attribute: str, expected: Severity) -> None:
    path = write_schema(
        tmp_path,
        f'<sch:pattern><sch:rule context="c:doc"><sch:assert id="A" test="false()" {attribute}>'
        "x</sch:assert></sch:rule></sch:pattern>",
    )
    [finding] = compile_schematron(path).validate(document(""))
    assert finding.severity is expected


def test_severity_falls_back_to_the_rule(tmp_path: Path) -> None:
    path = write_schema(
        tmp_path,
        '<sch:pattern><sch:rule context="c:doc" role="warning">'
        '<sch:assert id="A" test="false()">a</sch:assert>'
        '<sch:assert id="B" test="false()" role="fatal">b</sch:assert>'
        "</sch:rule></sch:pattern>",
    )
    findings = compile_schematron(path).validate(document(""))
    assert [(f.rule, f.severity) for f in findings] == [
        ("A", Severity.WARNING),
        ("B", Severity.ERROR),
    ]


@pytest.mark.parametrize("binding", ["xslt", "xslt2"])
def test_message_with_value_of_name_and_inline_markup(tmp_path: Path, binding: str) -> None:
    path = write_schema(
        tmp_path,
        '<sch:pattern><sch:rule context="c:item">'
        '<sch:assert id="A" test="c:amount &gt; 0">\n   Item <sch:value-of select="@n"/>'
        ' (<sch:name/>, parent <sch:name path=".."/>): amount <sch:emph>must</sch:emph>  be '
        '<sch:span class="x">positive</sch:span>, <sch:dir value="ltr">got</sch:dir> '
        '"<sch:value-of select="c:amount"/>".\n  </sch:assert>'
        "</sch:rule></sch:pattern>",
        binding=binding,
    )
    tree = document('<c:item n="7"><c:amount>-3</c:amount></c:item>')
    [finding] = compile_schematron(path).validate(tree)
    assert finding.message == ('Item 7 (c:item, parent c:doc): amount must be positive, got "-3".')


def test_rule_ids_fall_back_from_assert_to_rule_to_pattern(tmp_path: Path) -> None:
    path = write_schema(
        tmp_path,
        '<sch:pattern id="P"><sch:rule id="R" context="c:a"><sch:assert id="A" test="false()"/>'
        '<sch:assert test="false()"/></sch:rule><sch:rule context="c:b">'
        '<sch:assert test="false()"/></sch:rule></sch:pattern>'
        '<sch:pattern><sch:rule context="c:b"><sch:report test="true()"/></sch:rule></sch:pattern>',
    )
    findings = compile_schematron(path).validate(document("<c:a/><c:b/>"))
    assert rule_ids(findings) == ["A", "R", "P", "schematron"]
    assert findings[0].message == "Assertion A fired"
    assert findings[3].message == "Report schematron fired"


def test_rule_lets_are_per_node_and_build_on_each_other(tmp_path: Path) -> None:
    path = write_schema(
        tmp_path,
        '<sch:let name="limit" value="10"/>'
        '<sch:pattern><sch:let name="total" value="sum(//c:n)"/><sch:rule context="c:n">'
        '<sch:let name="double" value=". * 2"/><sch:let name="quad" value="$double * 2"/>'
        '<sch:report id="BIG" test="$quad &gt; $limit">'
        '<sch:value-of select="$quad"/> of <sch:value-of select="$total"/></sch:report>'
        "</sch:rule></sch:pattern>",
    )
    findings = compile_schematron(path).validate(document("<c:n>1</c:n><c:n>3</c:n><c:n>2</c:n>"))
    assert [f.message for f in findings] == ["12 of 6"]
    assert findings[0].xpath == "/c:doc/c:n[2]"


@pytest.mark.parametrize("binding", ["xslt", "xslt2"])
def test_attribute_contexts(tmp_path: Path, binding: str) -> None:
    path = write_schema(
        tmp_path,
        '<sch:pattern><sch:rule context="@date">'
        '<sch:let name="length" value="string-length(.)"/>'
        '<sch:assert id="DATE" test="$length = 10">Date <sch:value-of select="."/> on '
        '<sch:value-of select="name(..)"/> has <sch:value-of select="$length"/> characters'
        "</sch:assert></sch:rule></sch:pattern>",
        binding=binding,
    )
    tree = document('\n<c:a date="2024-01-01"/>\n<c:b date="2024-1-1"/>')
    [finding] = compile_schematron(path).validate(tree)
    assert finding.xpath == "/c:doc/c:b/@date"
    assert finding.line == 3
    assert finding.message == "Date 2024-1-1 on c:b has 8 characters"


@pytest.mark.parametrize("binding", ["xslt", "xslt2"])
def test_current_refers_to_the_rule_context(tmp_path: Path, binding: str) -> None:
    path = write_schema(
        tmp_path,
        '<sch:pattern><sch:rule context="c:p">'
        '<sch:assert id="UNIQUE" test="count(//c:p[@id = current()/@id]) = 1"/>'
        "</sch:rule></sch:pattern>",
        binding=binding,
    )
    tree = document('<c:p id="a"/><c:p id="b"/><c:p id="a"/>')
    findings = compile_schematron(path).validate(tree)
    assert [f.xpath for f in findings] == ["/c:doc/c:p[1]", "/c:doc/c:p[3]"]


def test_xpath2_expressions(tmp_path: Path) -> None:
    path = write_schema(
        tmp_path,
        '<sch:pattern><sch:rule context="c:order">'
        '<sch:assert id="SOME" test="some $l in c:line satisfies xs:decimal($l) gt 100"/>'
        '<sch:assert id="IF" test="if (@kind = \'x\') then exists(c:ref) else true()"/>'
        "</sch:rule></sch:pattern>",
        binding="xslt2",
        attrs='xmlns:xs="http://www.w3.org/2001/XMLSchema"',
    )
    tree = document(
        '<c:order kind="x"><c:line>5</c:line></c:order>'
        '<c:order kind="y"><c:line>500</c:line></c:order>'
    )
    findings = compile_schematron(path).validate(tree)
    assert [(f.rule, f.xpath) for f in findings] == [
        ("SOME", "/c:doc/c:order[1]"),
        ("IF", "/c:doc/c:order[1]"),
    ]


def test_a_failing_expression_is_reported_not_raised(tmp_path: Path) -> None:
    path = write_schema(
        tmp_path,
        '<sch:pattern><sch:rule context="c:n"><sch:assert id="NUM" test="xs:integer(.) gt 0"/>'
        "</sch:rule></sch:pattern>",
        binding="xslt2",
        attrs='xmlns:xs="http://www.w3.org/2001/XMLSchema"',
    )
    findings = compile_schematron(path).validate(document("<c:n>5</c:n><c:n>abc</c:n>"))
    assert len(findings) == 1
    assert findings[0].rule == "NUM"
    assert findings[0].xpath == "/c:doc/c:n[2]"
    assert "could not be evaluated" in findings[0].message


def test_an_xpath1_error_spares_the_other_tests_of_the_rule(tmp_path: Path) -> None:
    path = write_schema(
        tmp_path,
        '<sch:pattern><sch:rule context="c:doc"><sch:let name="s" value="\'text\'"/>'
        '<sch:assert id="A" test="false()"/><sch:assert id="B" test="count($s/c:x) = 0"/>'
        '<sch:assert id="C" test="true()"/><sch:report id="D" test="true()"/>'
        "</sch:rule></sch:pattern>",
    )
    findings = compile_schematron(path).validate(document(""))
    assert rule_ids(findings) == ["A", "B", "D"]
    assert findings[1].message == (
        "Rule B could not be evaluated on this document: Invalid type in 'count($s/c:x) = 0'"
    )


@pytest.mark.parametrize(
    ("pattern", "expression"),
    [
        ("c:a", "//c:a"),
        ("/c:a/c:b", "/c:a/c:b"),
        ("/", "/"),
        ("@date", "//@date"),
        ("c:a | /c:b|@c", "//c:a | /c:b | //@c"),
        ("c:a[@k = 'x|y'] | c:b[c:c | c:d]", "//c:a[@k = 'x|y'] | //c:b[c:c | c:d]"),
        ('c:a[f("|", (1|2))]|c:b', '//c:a[f("|", (1|2))] | //c:b'),
        ("id('x')/c:a", "id('x')/c:a"),
    ],
)
def test_rule_contexts_become_expressions_split_only_at_the_top_level(
    pattern: str, expression: str
) -> None:
    assert context_expression(pattern) == expression


@pytest.mark.parametrize(
    ("let", "inlined"),
    [
        ("c:text/@lang", "($C/c:text/@lang)"),
        ("//c:a/@id | c:b[@k = 'x y']/text()", "(//c:a/@id | $C/c:b[@k = 'x y']/text())"),
        ("$v/@x | id('a')/@y", "($v/@x | id('a')/@y)"),
        ("../@x", "($C/../@x)"),
        ("@x = 'y'", None),
        ("@a * @b", None),
        ("(c:a | c:b)/@x", None),
        ("@a and @b", None),
    ],
)
def test_attribute_lets_are_anchored_for_inlining(let: str, inlined: str | None) -> None:
    assert anchor_paths(let, "$C/") == inlined


def test_an_attribute_let_that_cannot_be_inlined_is_reported(tmp_path: Path) -> None:
    path = write_schema(
        tmp_path,
        '<sch:pattern><sch:rule id="R" context="c:doc">'
        '<sch:let name="ids" value="(c:a | c:b)/@id"/>'
        '<sch:assert id="A" test="count($ids) = 2"/></sch:rule></sch:pattern>',
    )
    [finding] = compile_schematron(path).validate(document('<c:a id="1"/><c:b id="2"/>'))
    assert finding.rule == "R"
    assert "union of location paths" in finding.message


PHASED = """
<sch:phase id="light"><sch:active pattern="one"/></sch:phase>
<sch:phase id="full"><sch:let name="x" value="1"/>
  <sch:active pattern="one"/><sch:active pattern="two"/></sch:phase>
<sch:pattern id="one"><sch:rule context="c:doc"><sch:assert id="ONE" test="false()"/>
</sch:rule></sch:pattern>
<sch:pattern id="two"><sch:rule context="c:doc"><sch:assert id="TWO" test="false()"/>
</sch:rule></sch:pattern>
"""


@pytest.mark.parametrize(
    ("default", "phase", "expected"),
    [
        ("", None, ["ONE", "TWO"]),
        ("", "#ALL", ["ONE", "TWO"]),
        ("", "light", ["ONE"]),
        ("", "full", ["ONE", "TWO"]),
        ('defaultPhase="light"', None, ["ONE"]),
        ('defaultPhase="light"', "#DEFAULT", ["ONE"]),
        ('defaultPhase="light"', "#ALL", ["ONE", "TWO"]),
    ],
)
def test_phases(tmp_path: Path, default: str, phase: str | None, expected: list[str]) -> None:
    path = write_schema(tmp_path, PHASED, attrs=default)
    assert rule_ids(compile_schematron(path, phase=phase).validate(document(""))) == expected


def test_abstract_pattern_with_parameters(tmp_path: Path) -> None:
    path = write_schema(
        tmp_path,
        '<sch:pattern abstract="true" id="required"><sch:rule context="$parent">'
        '<sch:assert test="$child">$parent needs <sch:value-of select="name($child)"/>'
        "</sch:assert></sch:rule></sch:pattern>"
        '<sch:pattern is-a="required" id="NEEDS-NAME"><sch:param name="parent" value="c:person"/>'
        '<sch:param name="child" value="c:name"/></sch:pattern>',
    )
    findings = compile_schematron(path).validate(
        document("<c:person/><c:person><c:name/></c:person>")
    )
    assert [(f.rule, f.xpath) for f in findings] == [("NEEDS-NAME", "/c:doc/c:person[1]")]


def test_include_inside_the_folder(tmp_path: Path) -> None:
    (tmp_path / "parts").mkdir()
    (tmp_path / "parts" / "pattern.sch").write_text(
        '<sch:pattern xmlns:sch="http://purl.oclc.org/dsdl/schematron" id="inc">'
        '<sch:rule context="c:doc"><sch:assert id="INC" test="c:x"/></sch:rule></sch:pattern>',
        encoding="utf-8",
    )
    path = write_schema(tmp_path, '<sch:include href="parts/pattern.sch"/>')
    assert rule_ids(compile_schematron(path).validate(document(""))) == ["INC"]


@pytest.mark.parametrize("href", ["../outside.sch", "/etc/passwd", "http://example.org/x.sch"])
def test_include_leaving_its_folder_is_refused(tmp_path: Path, href: str) -> None:
    (tmp_path / "outside.sch").write_text("<x/>", encoding="utf-8")
    (tmp_path / "rules").mkdir()
    path = write_schema(tmp_path / "rules", f'<sch:include href="{href}"/>')
    with pytest.raises(SchemaError, match=r"rules\.sch:3: sch:include"):
        compile_schematron(path)


BROKEN = {
    "unknown-phase": ("", "xslt", "nope", r"rules\.sch:1: unknown phase 'nope'"),
    "xpath1-syntax": (
        '<sch:pattern><sch:rule context="c:doc"><sch:assert test="c:a[" /></sch:rule>'
        "</sch:pattern>",
        "xslt",
        None,
        r"rules\.sch:3: cannot compile XPath \(xpath1\) 'c:a\['",
    ),
    "xpath1-unknown-function": (
        '<sch:pattern><sch:rule context="c:doc"><sch:assert test="exists(c:a)"/></sch:rule>'
        "</sch:pattern>",
        "xslt",
        None,
        r"rules\.sch:3: cannot compile XPath \(xpath1\) 'exists\(c:a\)': Unregistered function",
    ),
    "unknown-prefix": (
        '<sch:pattern><sch:rule context="q:doc"><sch:assert test="true()"/></sch:rule>'
        "</sch:pattern>",
        "xslt",
        None,
        r"rules\.sch:3: cannot compile XPath \(xpath1\) 'q:doc'",
    ),
    "xpath2-syntax": (
        '<sch:pattern><sch:rule context="c:doc"><sch:assert test="if (c:a) then"/></sch:rule>'
        "</sch:pattern>",
        "xslt2",
        None,
        r"rules\.sch:3: cannot compile XPath \(xpath2\) 'if \(c:a\) then'",
    ),
    "missing-extends": (
        '<sch:pattern><sch:rule context="c:doc"><sch:extends rule="gone"/></sch:rule>'
        "</sch:pattern>",
        "xslt",
        None,
        r"rules\.sch:3: extends names unknown abstract rule 'gone'",
    ),
    "undefined-variable": (
        '<sch:pattern><sch:rule context="c:doc"><sch:assert test="$nope"/></sch:rule>'
        "</sch:pattern>",
        "xslt",
        None,
        r"Undefined variable",
    ),
}


@pytest.mark.parametrize(("body", "binding", "phase", "message"), BROKEN.values(), ids=BROKEN)
def test_errors_in_the_rules_file(
    tmp_path: Path, body: str, binding: str, phase: str | None, message: str
) -> None:
    path = write_schema(tmp_path, body, binding=binding)
    with pytest.raises(SchemaError, match=message):
        compile_schematron(path, phase=phase)


def test_unknown_query_binding(tmp_path: Path) -> None:
    path = write_schema(tmp_path, "", binding="xquery")
    with pytest.raises(SchemaError, match=r"rules\.sch:1: unknown queryBinding 'xquery'"):
        compile_schematron(path)


def test_not_a_schematron_file(tmp_path: Path) -> None:
    path = tmp_path / "other.sch"
    path.write_text("<schema/>", encoding="utf-8")
    with pytest.raises(SchemaError, match="not sch:schema"):
        compile_schematron(path)
    path.write_text("<unclosed>", encoding="utf-8")
    with pytest.raises(UnreadableInput):
        compile_schematron(path)
