"""The editions are one table (languages.py): no other module compares a language code with a literal."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from chenzhou_report.languages import LANGS, LANGUAGES, WRITTEN, by_tag, language, others, site_url_env

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "chenzhou_report"


def _literal_comparisons(source: str) -> list[tuple[int, str]]:
    """(line, code) of every comparison (==, !=, in, not in) of anything with a language code written as a literal."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Compare):
            continue
        for operand in [node.left, *node.comparators]:
            items = operand.elts if isinstance(operand, (ast.Tuple, ast.List, ast.Set)) else [operand]
            for item in items:
                if isinstance(item, ast.Constant) and item.value in LANGS:
                    found.append((node.lineno, item.value))
    return found


def test_no_module_but_the_table_compares_a_language_code_with_a_literal():
    offenders = [f"{path.relative_to(ROOT)}:{line}: compares with {code!r}"
                 for path in sorted(PACKAGE.rglob("*.py")) if path.name != "languages.py"
                 for line, code in _literal_comparisons(path.read_text(encoding="utf-8"))]
    assert offenders == []


def test_the_scan_finds_a_literal_comparison():
    """The scan itself can fail: each form of comparison is caught."""
    doctored = 'a = lang == "zh"\nb = "en" != lang\nc = lang in ("zh", "en")\nd = x if lang not in ["en"] else y\n'
    assert [line for line, _code in _literal_comparisons(doctored)] == [1, 2, 3, 3, 4]


def test_no_template_compares_a_language_code_with_a_literal():
    pattern = re.compile(r"""(==|!=)\s*['"](%s)['"]|['"](%s)['"]\s*(==|!=)""" % ("|".join(LANGS), "|".join(LANGS)))
    offenders = [f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
                 for path in sorted((ROOT / "templates").rglob("*")) if path.suffix in (".html", ".j2")
                 for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if pattern.search(line)]
    assert offenders == []


def test_the_table():
    assert LANGS == tuple(lang.code for lang in LANGUAGES) and len(set(LANGS)) == len(LANGS)
    assert WRITTEN == ("zh", "en")  # the fields of every text in content
    for lang in LANGUAGES:
        assert by_tag(lang.tag) is lang and by_tag(lang.tag.upper()) is lang
        assert others(lang.code) == tuple(c for c in LANGS if c != lang.code)
        assert (ROOT / lang.config_file).is_file()
        # its MkDocs configuration reads its site URL from the variable the table names (publish workflow, lighthouse)
        assert f"!ENV [{site_url_env(lang.code)}, null]" in (ROOT / lang.config_file).read_text(encoding="utf-8")
        assert site_url_env(lang.code) in (ROOT / ".github" / "workflows" / "publish.yml").read_text(encoding="utf-8")
        assert lang.text_from is None or lang.text_from in WRITTEN
        assert set(lang.punctuation) >= {"colon", "comma", "open", "close", "semicolon", "stop"}
    assert by_tag("fr") is None


def test_an_unknown_code_is_refused_with_the_known_ones():
    try:
        language("xx")
    except KeyError as exc:
        assert "one of: zh, en, zh-hant" in str(exc)
    else:
        raise AssertionError("an unknown code must be refused")


def test_a_converted_edition_says_how_it_is_converted():
    """A row with text_from is converted at build time (convert.py): OpenCC both ways, its override file, its marks;
    a written row has none of that. Every edition names itself and its switch, and takes some browser languages."""
    for lang in LANGUAGES:
        assert lang.hreflang and lang.autonym and lang.switch_to and lang.browsers
        if lang.text_from is None:
            assert not (lang.opencc or lang.opencc_reverse or lang.overrides_file or lang.marks)
        else:
            assert lang.opencc and lang.opencc_reverse and lang.overrides_file.endswith(".yaml")
            assert language(lang.text_from).style == lang.style
    takes = [b for lang in LANGUAGES for b in lang.browsers]
    assert len(takes) == len(set(takes))  # no browser language is claimed twice
