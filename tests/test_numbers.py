"""Number formatting in both languages, for every unit, with Babel; derived figures and rounding."""

from __future__ import annotations

from decimal import Decimal

import pytest

from chenzhou_report.model import Metric
from chenzhou_report.numbers import format_metric, machine_value, matching_roundings, ordinal_en, recompute


def metric(**fields) -> Metric:
    data = {"id": "m", "label": {"zh": "指标", "en": "Figure"}, "source": "原文"}
    data.update(fields)
    return Metric.model_validate(data)


LEADS = {"zh": "条", "en": ["lead", "leads"]}
HOUSEHOLDS = {"zh": "户", "en": ["household", "households"]}
ITEMS = {"zh": "项", "en": ["item", "items"]}


@pytest.mark.parametrize("fields, zh, en, machine", [
    # yuan, with and without scale; English loses no digit
    ({"value": "107.42", "scale": "yi", "unit": "yuan"}, "107.42亿元", "10.742 billion yuan", "10742000000"),
    ({"value": "120.27", "scale": "yi", "unit": "yuan"}, "120.27亿元", "12.027 billion yuan", "12027000000"),
    ({"value": "6665", "scale": "wan", "unit": "yuan"}, "6665万元", "66.65 million yuan", "66650000"),
    ({"value": "2", "scale": "yi", "unit": "yuan"}, "2亿元", "200 million yuan", "200000000"),
    ({"value": "500", "scale": "wan", "unit": "yuan"}, "500万元", "5 million yuan", "5000000"),
    ({"value": "12.5", "scale": "wan", "unit": "yuan"}, "12.5万元", "125,000 yuan", "125000"),
    # counts: Chinese measure word, English noun with Babel's plural rule and grouping
    ({"value": "43", "scale": "wan", "unit": "count", "counter": HOUSEHOLDS}, "43万户", "430,000 households", "430000"),
    ({"value": "3884", "unit": "count", "counter": LEADS}, "3884条", "3,884 leads", "3884"),
    ({"value": "1", "unit": "count", "counter": ITEMS}, "1项", "1 item", "1"),
    # percentages keep their printed decimals
    ({"value": "99.17", "unit": "percent", "reported": True}, "99.17%", "99.17%", "99.17"),
    ({"value": "27", "unit": "percent", "reported": True}, "27%", "27%", "27"),
    ({"value": "114.27", "unit": "percent", "reported": True, "may_exceed_100": True}, "114.27%", "114.27%", "114.27"),
    ({"value": "98.50", "unit": "percent", "reported": True}, "98.50%", "98.50%", "98.50"),
    # ranks: 第N位 / 第N, and English ordinals from Babel's ordinal rules
    ({"value": "3", "unit": "rank", "counter": {"zh": "位"}}, "第3位", "3rd", "3"),
    ({"value": "14", "unit": "rank"}, "第14", "14th", "14"),
    ({"value": "4", "unit": "rank"}, "第4", "4th", "4"),
    # per thousand
    ({"value": "4.62", "unit": "per_thousand", "counter": {"zh": "个", "en": ["place", "places"]}},
     "4.62个", "4.62 places", "4.62"),
    # quantities the article writes in characters
    ({"value": "10", "unit": "rank", "written": {"zh": "第十", "en": "tenth"}}, "第十", "tenth", "10"),
    ({"value": "6", "unit": "count", "written": {"zh": "六项", "en": "six"}}, "六项", "six", "6"),
])
def test_format_in_both_languages(fields, zh, en, machine):
    m = metric(**fields)
    assert format_metric(m, "zh") == zh
    assert format_metric(m, "en") == en
    assert machine_value(m) == machine


@pytest.mark.parametrize("n, text", [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"),
                                     (13, "13th"), (21, "21st"), (22, "22nd"), (23, "23rd"), (101, "101st")])
def test_english_ordinals(n, text):
    assert ordinal_en(n) == text


def test_value_typed_without_quotes_keeps_its_digits():
    assert metric(value=107.42, scale="yi", unit="yuan").value == "107.42"
    assert metric(value=3884, unit="count", counter=LEADS).value == "3884"


def _rate(value, num, den, rounding):
    metrics = {
        "a": metric(id="a", value=num, unit="count", counter=LEADS),
        "b": metric(id="b", value=den, unit="count", counter=LEADS),
    }
    rate = metric(id="r", value=value, unit="percent",
                  derived={"numerator": "a", "denominator": "b", "rounding": rounding})
    return rate, metrics


def test_wage_rate_truncates_as_the_source_does():
    """3852 / 3884 = 99.176…%: the source prints 99.17%, so it truncated; half-even would give 99.18%."""
    rate, metrics = _rate("99.17", "3852", "3884", "down")
    assert recompute(rate, metrics) == Decimal("99.17")
    assert recompute(rate, metrics, "half_even") == Decimal("99.18")
    assert matching_roundings(rate, metrics) == ["down"]


def test_referred_rate_matches_several_modes():
    rate, metrics = _rate("98.85", "86", "87", "half_even")
    assert recompute(rate, metrics) == Decimal("98.85")
    assert set(matching_roundings(rate, metrics)) == {"down", "half_up", "half_even"}


def test_a_wrong_printed_rate_matches_no_mode():
    rate, metrics = _rate("97.00", "86", "87", "down")
    assert matching_roundings(rate, metrics) == []


# --- house style: running text against figures ------------------------------------------------------------------

PILOT_REFORMS = {"zh": "项", "en": ["pilot reform", "pilot reforms"]}
PLACES = {"zh": "个", "en": ["place", "places"]}


@pytest.mark.parametrize("fields, figure, running", [
    # counts: one to nine in words in running text (num2words), with the noun's plural from Babel; numerals from 10
    ({"value": "6", "unit": "count", "counter": PILOT_REFORMS}, "6 pilot reforms", "six pilot reforms"),
    ({"value": "1", "unit": "count", "counter": ITEMS}, "1 item", "one item"),
    ({"value": "9", "unit": "count", "counter": ITEMS}, "9 items", "nine items"),
    ({"value": "10", "unit": "count", "counter": ITEMS}, "10 items", "10 items"),
    ({"value": "0", "unit": "count", "counter": ITEMS}, "0 items", "0 items"),
    ({"value": "3884", "unit": "count", "counter": LEADS}, "3,884 leads", "3,884 leads"),
    ({"value": "43", "scale": "wan", "unit": "count", "counter": HOUSEHOLDS}, "430,000 households",
     "430,000 households"),
    ({"value": "7", "unit": "count"}, "7", "seven"),  # no noun
    # ranks: ordinals one to nine in words in running text
    ({"value": "3", "unit": "rank", "counter": {"zh": "位"}}, "3rd", "third"),
    ({"value": "1", "unit": "rank"}, "1st", "first"),
    ({"value": "4", "unit": "rank"}, "4th", "fourth"),
    ({"value": "9", "unit": "rank"}, "9th", "ninth"),
    ({"value": "10", "unit": "rank"}, "10th", "10th"),
    ({"value": "14", "unit": "rank"}, "14th", "14th"),
    # money, percentages and rates per thousand stay numerals in both forms, as the outlets print them
    ({"value": "2", "scale": "yi", "unit": "yuan"}, "200 million yuan", "200 million yuan"),
    ({"value": "500", "scale": "wan", "unit": "yuan"}, "5 million yuan", "5 million yuan"),
    ({"value": "5", "unit": "yuan"}, "5 yuan", "5 yuan"),
    ({"value": "5", "unit": "percent", "reported": True}, "5%", "5%"),
    ({"value": "27", "unit": "percent", "reported": True}, "27%", "27%"),
    ({"value": "3", "unit": "per_thousand", "counter": PLACES}, "3 places", "3 places"),
    ({"value": "4.62", "unit": "per_thousand", "counter": PLACES}, "4.62 places", "4.62 places"),
    # what the article writes in characters prints as written, in both forms
    ({"value": "10", "unit": "rank", "written": {"zh": "第十", "en": "tenth"}}, "tenth", "tenth"),
    ({"value": "6", "unit": "count", "written": {"zh": "六项", "en": "six"}}, "six", "six"),
])
def test_running_text_spells_one_to_nine_in_english(fields, figure, running):
    m = metric(**fields)
    assert format_metric(m, "en") == figure
    assert format_metric(m, "en", running_text=True) == running


@pytest.mark.parametrize("fields", [
    {"value": "6", "unit": "count", "counter": PILOT_REFORMS},
    {"value": "3", "unit": "rank", "counter": {"zh": "位"}},
    {"value": "4", "unit": "rank"},
    {"value": "2", "scale": "yi", "unit": "yuan"},
    {"value": "27", "unit": "percent", "reported": True},
    {"value": "4.62", "unit": "per_thousand", "counter": PLACES},
    {"value": "6", "unit": "count", "written": {"zh": "六项", "en": "six"}},
])
def test_chinese_has_one_form_the_articles(fields):
    m = metric(**fields)
    assert format_metric(m, "zh", running_text=True) == format_metric(m, "zh")


@pytest.mark.parametrize("n, figure, running", [(1, "1st", "first"), (2, "2nd", "second"), (3, "3rd", "third"),
                                                (8, "8th", "eighth"), (9, "9th", "ninth"), (10, "10th", "10th"),
                                                (21, "21st", "21st")])
def test_english_ordinals_in_running_text(n, figure, running):
    assert ordinal_en(n) == figure
    assert ordinal_en(n, running_text=True) == running
