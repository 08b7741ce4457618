"""The English checks (issue 12): term-parity, spelling, dashes, hyphen-space and duplicate-sentence. The real
content passes them (tests/test_checks_content.py); here each smallest bad change to a copy of the real content
fails exactly its own check, at the file, line and column of the mistake."""

from __future__ import annotations

import pytest

from chenzhou_report.checks.content import check_content_dir

from test_checks_content import MARKET, REGION, edit, findings, line_of, only

GLOSSARY = "content/glossary.yaml"
DOMESTIC = "content/areas/01-domestic-demand.yaml"


def column_of(project, rel: str, needle: str, nth: int = 1) -> int:
    """1-based column of the nth occurrence of `needle` in the (edited) file."""
    text = (project.root / rel).read_text(encoding="utf-8")
    index = -1
    for _ in range(nth):
        index = text.index(needle, index + 1)
    return index - (text.rfind("\n", 0, index) + 1) + 1


def at(project, rel: str, needle: str, nth: int = 1, shift: int = 0) -> tuple[str, int, int]:
    return rel, line_of(project, rel, needle, nth), column_of(project, rel, needle, nth) + shift


def where(finding) -> tuple[str, int, int]:
    return finding.path, finding.line, finding.column


# --- term-parity -----------------------------------------------------------------------------------------------

def test_term_rendered_another_way_in_the_english(project_copy):
    # the Chinese label has 佛郴对口合作; its English must use a declared rendering
    edit(project_copy, REGION, "en: Exchange visits under Foshan-Chenzhou paired cooperation",
         "en: Exchange visits under Foshan-Chenzhou pairing assistance")
    [finding] = only(findings(project_copy), "term-parity")
    assert where(finding) == at(project_copy, REGION, "Exchange visits under Foshan-Chenzhou pairing")
    assert "佛郴对口合作" in finding.message and "foshan_chenzhou_cooperation" in finding.message
    assert "“Foshan-Chenzhou paired cooperation”" in finding.message and "match.en" in finding.message


def test_term_rendering_without_the_chinese_term(project_copy):
    # the English of a chart title names the paired cooperation, its Chinese (两项区域合作的项目投资) does not
    edit(project_copy, REGION, "en: Investment under both regional cooperation programs",
         "en: Investment under Foshan-Chenzhou paired cooperation and the border zone")
    [finding] = only(findings(project_copy), "term-parity")
    assert where(finding) == at(project_copy, REGION, "Foshan-Chenzhou paired cooperation and the border")
    assert "“佛郴对口合作”" in finding.message and "match.zh" in finding.message


def test_term_parity_ignores_case_and_the_quotation_marks_of_a_first_mention(project_copy):
    # "Foshan-Chenzhou Paired Cooperation" in title case is the declared rendering all the same
    edit(project_copy, REGION, "en: Exchange visits under Foshan-Chenzhou paired cooperation",
         "en: Exchange Visits under Foshan-Chenzhou Paired Cooperation")
    assert findings(project_copy) == []


def test_a_stray_invisible_character_in_a_term_is_the_characters_check_alone(project_copy):
    # a zero-width space pasted beside a space of the rendering: `characters` names it; the term reads as before
    edit(project_copy, REGION, "en: Exchange visits under Foshan-Chenzhou paired cooperation",
         "en: Exchange visits under Foshan-Chenzhou paired \u200bcooperation")
    [finding] = only(findings(project_copy), "characters")
    assert where(finding) == at(project_copy, REGION, "\u200bcooperation")


# --- spelling --------------------------------------------------------------------------------------------------

def test_british_spelling_in_a_chart_title_and_a_glossary_definition(project_copy):
    edit(project_copy, REGION, "en: Projects under both regional cooperation programs",
         "en: Projects under both regional cooperation programmes")
    edit(project_copy, GLOSSARY, "Population Aging and Longevity", "Population Ageing and Longevity")
    found = only(findings(project_copy), "spelling")
    assert {where(f) for f in found} == {at(project_copy, REGION, "programmes"),
                                         at(project_copy, GLOSSARY, "Ageing and Longevity")}
    by_path = {f.path: f.message for f in found}
    assert "'programmes'" in by_path[REGION] and "'programs'" in by_path[REGION]
    assert "'Ageing'" in by_path[GLOSSARY] and "'Aging'" in by_path[GLOSSARY]  # the capital is kept


def test_british_spelling_in_a_measure_word(project_copy):
    # the English nouns printed after a figure are English text too (counter.en: [singular, plural])
    edit(project_copy, REGION, "counter: {zh: 个, en: [supply base, supply bases]}",
         "counter: {zh: 个, en: [supply centre, supply centres]}")
    found = only(findings(project_copy), "spelling")
    assert {where(f) for f in found} == {at(project_copy, REGION, "centre,"), at(project_copy, REGION, "centres]")}
    assert all("'center" in f.message for f in found)


def test_american_spelling_and_link_targets_pass(project_copy):
    # a Markdown link target is not a word of the text ("programme" in a URL is not a spelling)
    edit(project_copy, REGION, "en: Projects under both regional cooperation programs",
         "en: Projects under both regional cooperation [programs](https://example.org/programme-list)")
    assert findings(project_copy) == []


# --- dashes ----------------------------------------------------------------------------------------------------

def test_en_dash_in_a_compound_name(project_copy):
    edit(project_copy, REGION, "the Leiyang-Yizhang section", "the Leiyang\u2013Yizhang section")
    [finding] = only(findings(project_copy), "dashes")
    assert where(finding) == at(project_copy, REGION, "\u2013Yizhang")
    assert "en dash" in finding.message and "Leiyang-Yizhang" in finding.message


def test_a_range_between_figures_keeps_its_en_dash(content):
    # the real content writes ({y2024}–{y2035}): a range, not a compound name
    region = next(a for a in content.areas if a.key == "04-regional-strategy")
    assert "{y2024}\u2013{y2035}" in region.paragraphs[0].en


# --- hyphen-space ----------------------------------------------------------------------------------------------

def test_hyphen_at_the_end_of_a_folded_line(project_copy):
    # folded YAML (>-) joins lines with a space: "Hunan-" at a line's end prints "Hunan- Jiangxi"
    edit(project_copy, GLOSSARY, "along the\n        Hunan-Jiangxi border", "along the Hunan-\n        Jiangxi border")
    [finding] = only(findings(project_copy), "hyphen-space")
    assert where(finding) == at(project_copy, GLOSSARY, "-\n        Jiangxi border")
    assert "Hunan- Jiangxi" in finding.message and "Hunan-Jiangxi" in finding.message


def test_suspended_hyphen_is_not_a_stray_space(project_copy):
    edit(project_copy, MARKET, "en: Prize won at the national business entity data analysis contest",
         "en: Prize won at the national business entity data analysis contest (first- and second-tier)")
    assert findings(project_copy) == []


# --- duplicate-sentence ----------------------------------------------------------------------------------------

def test_sentence_printed_twice_on_a_page(project_copy):
    # area 01's no-figures note says the paragraph's first sentence again (the paragraph is printed first)
    sentence = "Chenzhou took multiple measures to unleash consumption potential."
    edit(project_copy, DOMESTIC, "en: The article's account of this area gives no figures.", f"en: {sentence}")
    [finding] = only(findings(project_copy), "duplicate-sentence")
    assert where(finding) == at(project_copy, DOMESTIC, f"en: {sentence}", shift=len("en: "))
    assert "on the page en/areas/01-domestic-demand/" in finding.message
    assert f"also printed from {DOMESTIC}:{line_of(project_copy, DOMESTIC, sentence + ' It led')}" in finding.message


def test_chinese_sentence_printed_twice(project_copy):
    sentence = "文章对本领域的介绍没有列出任何数字。"
    edit(project_copy, DOMESTIC, f"zh: {sentence}", f"zh: {sentence}{sentence}")
    [finding] = only(findings(project_copy), "duplicate-sentence")
    assert where(finding) == at(project_copy, DOMESTIC, f"zh: {sentence}", shift=len("zh: ") + len(sentence))
    assert "on the page zh/areas/01-domestic-demand/" in finding.message


def test_one_text_saying_a_sentence_twice(project_copy):
    sentence = "In Chenzhou, national and provincial strategies have yielded notable results."
    edit(project_copy, REGION, f"{sentence} Landmark", f"{sentence} {sentence} Landmark")
    found = only(findings(project_copy), "duplicate-sentence")
    assert {where(f) for f in found} == {at(project_copy, REGION, sentence, nth=2)}


def test_two_areas_saying_the_same_sentence_is_not_a_page_repeating_itself(project_copy):
    # the whole report prints the area pages one after another; each area page says the sentence once
    sentence = "In Chenzhou, national and provincial strategies have yielded notable results."
    edit(project_copy, DOMESTIC, "Chenzhou took multiple measures to unleash consumption potential.",
         f"{sentence} Chenzhou took multiple measures to unleash consumption potential.")
    assert findings(project_copy) == []


def test_a_template_printing_a_text_twice(project_copy):
    template = project_copy.templates_dir / "pages" / "area.md.j2"
    line = '<p class="no-figures">{{ inline(area.no_metrics_reason[lang]) }}</p>\n'
    text = template.read_text(encoding="utf-8")
    assert text.count(line) == 1
    template.write_text(text.replace(line, line + line), encoding="utf-8")
    found = only(findings(project_copy), "duplicate-sentence")
    # areas 01 and 06 print no figures: each one's note, in each language, twice on its own area page
    notes = {(rel, line_of(project_copy, rel, "no_metrics_reason:") + n, 7)
             for rel in (DOMESTIC, "content/areas/06-five-good-parks.yaml") for n in (1, 2)}
    assert {where(f) for f in found} == notes
    assert {f.message.split("on the page ")[1].split(":")[0] for f in found} == {
        f"{lang}/areas/{key}/" for key in ("01-domestic-demand", "06-five-good-parks") for lang in ("zh", "en")}


def test_checks_that_render_never_end_in_a_traceback_on_a_template_mistake(project_copy):
    # the build names a template mistake with its file and line; the content checks must not crash on it
    template = project_copy.templates_dir / "pages" / "area.md.j2"
    template.write_text(template.read_text(encoding="utf-8") + "{{ no_such_thing.x }}\n", encoding="utf-8")
    content, found = check_content_dir(project_copy.content_dir, project_copy.root)
    assert content is not None and found == []


def test_a_template_saying_a_sentence_twice(project_copy):
    template = project_copy.templates_dir / "pages" / "area.md.j2"
    text = template.read_text(encoding="utf-8")
    note = "<p>This note is printed by the template itself.</p>\n"
    template.write_text(text.replace("{% if area.metrics %}", note + note + "{% if area.metrics %}", 1),
                        encoding="utf-8")
    found = only(findings(project_copy), "duplicate-sentence")
    first = template.read_text(encoding="utf-8").split("\n").index(note.strip()) + 1
    second = first + 1  # the finding names the second time the template says it
    assert {(f.path, f.line) for f in found} == {("templates/pages/area.md.j2", second)}
    assert len(found) == 2 * 16  # every area page, both languages


def test_a_reference_given_under_every_figure_is_not_a_repeated_sentence(project_copy):
    # a citation names its source each time (<cite> under every figure); the same words as the page's own text
    # are a repetition
    template = project_copy.templates_dir / "pages" / "area.md.j2"
    text = template.read_text(encoding="utf-8")
    note = "This note is printed by the template itself."
    cited = f"<p><cite>{note}</cite></p>\n"
    template.write_text(text.replace("{% if area.metrics %}", cited + cited + "{% if area.metrics %}", 1),
                        encoding="utf-8")
    assert [f for f in findings(project_copy) if f.check == "duplicate-sentence"] == []
    template.write_text(text.replace("{% if area.metrics %}", cited + f"<p>{note}</p>\n" + "{% if area.metrics %}",
                                     1), encoding="utf-8")
    # once as a reference, once as text
    assert [f for f in findings(project_copy) if f.check == "duplicate-sentence"] == []
    template.write_text(text.replace("{% if area.metrics %}", cited + 2 * f"<p>{note}</p>\n" + "{% if area.metrics %}",
                                     1), encoding="utf-8")
    assert len(only(findings(project_copy), "duplicate-sentence")) == 2 * 16


# --- provenance of renderings ----------------------------------------------------------------------------------

@pytest.mark.parametrize("old, new, says", [
    ('date: "2021-10"}', 'date: "2021-13"}', "'2021-13' is not a valid date of a source"),
    ('official: {source: {zh: "香港海关", en: "Customs and Excise Department of Hong Kong"}}',
     'official: {source: {zh: "香港海关"}}', "missing field 'en': the English text of 'source'"),
])
def test_official_rendering_needs_a_source_in_both_languages_and_a_real_date(project_copy, old, new, says):
    edit(project_copy, GLOSSARY, old, new)
    [finding] = only(findings(project_copy), "load")
    assert finding.path == GLOSSARY and finding.line == line_of(project_copy, GLOSSARY, new)
    assert says in finding.message, finding.message
