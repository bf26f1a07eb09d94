"""``interop render`` from the command line: outputs, batches, errors and exit codes."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import EXAMPLES, run_cli
from tests.render.support import BY_KIND


def test_list_shows_notice_kinds_and_languages() -> None:
    done = run_cli("render", "--list")
    assert done.returncode == 0
    for kind in BY_KIND:
        assert kind in done.stdout
    assert "el  Greek" in done.stdout and "ar  Arabic" in done.stdout
    assert "not reviewed by a legal translator" in done.stdout


def test_one_document_in_two_languages(tmp_path: Path) -> None:
    out = tmp_path / "summons.html"
    done = run_cli(
        "render", str(BY_KIND["summons"]), "--lang", "pl", "--also", "de", "-o", str(out)
    )
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    assert 'lang="pl"' in text and 'lang="de"' in text


def test_without_lang_the_recipients_language_and_text_to_stdout() -> None:
    done = run_cli("render", str(BY_KIND["letter-of-rights"]), "--format", "txt")
    assert done.returncode == 0, done.stderr
    assert "يوسف العمراني" in done.stdout


def test_a_folder_in_one_run_going_on_past_a_bad_file(tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    for name in ("decision-refused.xml", "summons-suspect-questioning.xml"):
        (source / name).write_bytes((EXAMPLES / "notification" / name).read_bytes())
    (source / "broken.xml").write_text("<n:summons xmlns:n='urn:interop:notification:1'>")
    done = run_cli(
        "render", str(source), "--lang", "fr", "--format", "txt", "--out-dir", str(tmp_path / "out")
    )
    assert done.returncode == 2
    assert "broken.xml:1" in done.stderr and "Traceback" not in done.stderr
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == [
        "decision-refused.notice.fr.txt",
        "summons-suspect-questioning.notice.fr.txt",
    ]


def test_an_invalid_document_gets_no_notice(tmp_path: Path) -> None:
    source = BY_KIND["decision"].read_text(encoding="utf-8")
    invalid = tmp_path / "decision.xml"
    # A refusal without its ground breaks a business rule.
    start = source.index("<n:refusalGround")
    end = source.rindex("</n:refusalGround>") + len("</n:refusalGround>")
    invalid.write_text(source[:start] + source[end:], encoding="utf-8")
    out = tmp_path / "notice.html"
    done = run_cli("render", str(invalid), "--lang", "en", "-o", str(out))
    assert done.returncode == 1
    assert "invalid document" in done.stderr and "--no-validate" in done.stderr
    assert not out.exists()
    assert len(done.stderr.strip().splitlines()) == 1


def test_usage_errors_are_one_line_with_exit_2(tmp_path: Path) -> None:
    summons = str(BY_KIND["summons"])
    for args, message in [
        ((summons, "--also", "de"), "--also needs --lang"),
        ((summons, "--notice", "decision", "--lang", "en"), "renders decision documents"),
        ((summons, "--lang", "xx"), "no catalog for language 'xx'"),
        ((summons, "--pdf-variant", "pdf/a-3b"), "--pdf-variant needs --format pdf"),
        ((summons, summons, "-o", str(tmp_path / "x.html")), "-o takes one input"),
        ((summons, "-o", summons), "would overwrite an input"),
        ((str(tmp_path / "missing.xml"), "--lang", "en"), "missing.xml"),
    ]:
        done = run_cli("render", *args)
        assert done.returncode == 2, (args, done.stderr)
        assert message in done.stderr, (args, done.stderr)
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr
