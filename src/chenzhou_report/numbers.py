"""How a metric is printed in each language, with Babel (CLDR) doing the locale work.

Chinese prints exactly what the article printed: 107.42亿元, 99.17%, 3884条, 第3位; the Traditional edition the
same, converted: 107.42億元, 43萬户.
English loses no digit: 10.742 billion yuan, 66.65 million yuan, 430,000 households, 3rd.

Two English forms (house style of Xinhua and China Daily): in *running text* (a figure referenced as `{id}` in
prose: paragraphs, titles, the lead, definitions) whole counts and ranks from one to nine are words, spelled by
num2words: "six pilot reforms", "ranking third"; in *figures* (tables, cards, charts, the about page's lists, the
downloads) every figure is a numeral: "6 pilot reforms", "3rd". Money, percentages and rates per thousand are
numerals in both forms ("200 million yuan", "27%", "4.62 places"), as in the outlets' own copy. Chinese has one
form: the article's.

Arithmetic is done on Decimal, never float. This module knows nothing of MkDocs or HTML.

>>> investment = Metric(id="region_fochen_investment", label={"zh": "总投资", "en": "Total investment"},
...                     value="107.42", unit="yuan", scale="yi", source="总投资107.42亿元")
>>> format_metric(investment, "zh"), format_metric(investment, "en"), machine_value(investment)
('107.42亿元', '10.742 billion yuan', '10742000000')
>>> visits = Metric(id="visits", label={"zh": "互访", "en": "Visits"}, value="6", unit="count",
...                 counter={"zh": "次", "en": ["exchange visit", "exchange visits"]}, source="互访6次")
>>> format_metric(visits, "zh"), format_metric(visits, "en"), format_metric(visits, "en", running_text=True)
('6次', '6 exchange visits', 'six exchange visits')
>>> ordinal_en(3), ordinal_en(3, running_text=True), ordinal_en(22)
('3rd', 'third', '22nd')
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, localcontext

from babel import Locale
from babel.numbers import format_compact_decimal, format_decimal, format_percent
from num2words import num2words

from .convert import figure as converted_figure
from .languages import ENGLISH, LANGUAGES, language
from .model import Metric

LOCALES = {lang.code: Locale.parse(lang.locale) for lang in LANGUAGES}
SCALE_ZH = {None: "", "wan": "万", "yi": "亿"}
ROUNDING = {"down": ROUND_DOWN, "half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN, "up": ROUND_CEILING}
ORDINAL_SUFFIX_EN = {"one": "st", "two": "nd", "few": "rd", "other": "th"}
#: in running English text, whole counts and ranks from 1 up to this are written as words
WORDS_UP_TO = 9


def _pattern(decimals: int, grouping: bool) -> str:
    """A CLDR number pattern that prints exactly `decimals` fraction digits."""
    return ("#,##0" if grouping else "0") + ("." + "0" * decimals if decimals else "")


def _exact_fraction_digits(number: Decimal) -> int:
    """How many fraction digits `number` needs so that nothing is lost."""
    exponent = number.normalize().as_tuple().exponent
    return max(0, -exponent)


def format_number(value: Decimal, lang: str, decimals: int | None = None, grouping: bool | None = None) -> str:
    """A plain number: Chinese as printed (no grouping), English grouped (430,000)."""
    if decimals is None:
        decimals = _exact_fraction_digits(value)
    if grouping is None:
        grouping = not language(lang).chinese
    return format_decimal(value, format=_pattern(decimals, grouping), locale=LOCALES[lang], decimal_quantization=True)


def _money_en(amount: Decimal) -> str:
    """10742000000 -> '10.742 billion yuan', with as many digits as the amount needs."""
    if amount < 1_000_000:
        return f"{format_number(amount, ENGLISH)} yuan"
    exponent = min(len(str(int(amount))) - 1, 14)
    divisor = Decimal(10) ** (exponent - exponent % 3)
    digits = _exact_fraction_digits(amount / divisor)
    text = format_compact_decimal(amount, format_type="long", locale=LOCALES[ENGLISH], fraction_digits=digits)
    return f"{text} yuan"


def _noun(metric: Metric, lang: str) -> str:
    counter = metric.counter
    if counter is None:
        return ""
    if language(lang).chinese:
        return getattr(counter, lang)
    if getattr(counter, lang) is None:
        return ""
    singular, plural = getattr(counter, lang)
    form = LOCALES[lang].plural_form(metric.number if metric.decimals == 0 else Decimal("1.5"))
    return " " + (singular if form == "one" else plural)


def ordinal_en(number: int, running_text: bool = False) -> str:
    """3 -> '3rd' (Babel's ordinal rule); in running text 1–9 are words: 'third' (num2words)."""
    if running_text and _as_word(Decimal(number)):
        return num2words(number, lang="en", to="ordinal")
    return f"{number}{ORDINAL_SUFFIX_EN[LOCALES[ENGLISH].ordinal_form(number)]}"


def cardinal_en(number: Decimal, running_text: bool = False) -> str:
    """6 -> '6'; in running text 1–9 are words: 'six' (num2words). Larger numbers are grouped: 3,884."""
    if running_text and _as_word(number):
        return num2words(int(number), lang="en")
    return format_number(number, ENGLISH)


def _as_word(number: Decimal) -> bool:
    return number == number.to_integral_value() and 1 <= number <= WORDS_UP_TO


def format_metric(metric: Metric, lang: str, running_text: bool = False) -> str:
    """The metric as the page in `lang` prints it: as a figure (tables, cards, charts, downloads), or with
    `running_text` as prose prints it (English counts and ranks one to nine in words; Chinese is the same).
    A converted edition prints the source edition's figure, converted (107.42亿元 -> 107.42億元)."""
    source = language(lang).text_from
    if source is not None:
        return converted_figure(format_metric(metric, source, running_text), lang)
    if metric.written is not None:
        return metric.written[lang]
    value = Decimal(metric.value)
    decimals = metric.decimals
    if metric.unit == "percent":
        return format_percent(value / 100, format=_pattern(decimals, not language(lang).chinese) + "%", locale=LOCALES[lang],
                              decimal_quantization=True)
    chinese = language(lang).chinese
    if metric.unit == "rank":
        if chinese:
            return f"第{format_number(value, lang, decimals)}{_noun(metric, lang)}"
        return ordinal_en(int(value), running_text)
    if chinese:
        suffix = "元" if metric.unit == "yuan" else _noun(metric, lang)
        return f"{format_number(value, lang, decimals)}{SCALE_ZH[metric.scale]}{suffix}"
    if metric.unit == "yuan":
        return _money_en(metric.number)
    if metric.unit == "count":
        return f"{cardinal_en(metric.number, running_text)}{_noun(metric, lang)}"
    return f"{format_number(metric.number, lang)}{_noun(metric, lang)}"


def machine_value(metric: Metric) -> str:
    """The value a machine reads from `<data value=…>`: the plain number in the metric's unit."""
    number = metric.number
    text = format(number.normalize(), "f") if number == number.to_integral() else format(number, "f")
    return text


def recompute(metric: Metric, metrics: dict[str, Metric], rounding: str | None = None) -> Decimal:
    """A derived percentage recomputed from its inputs, rounded to the printed decimals."""
    derived = metric.derived
    assert derived is not None
    numerator = metrics[derived.numerator].number
    denominator = metrics[derived.denominator].number
    quantum = Decimal(1).scaleb(-metric.decimals)
    with localcontext() as ctx:
        ctx.prec = 50
        return (numerator / denominator * 100).quantize(quantum, rounding=ROUNDING[rounding or derived.rounding])


def matching_roundings(metric: Metric, metrics: dict[str, Metric]) -> list[str]:
    """The rounding modes under which the printed value follows from the inputs."""
    printed = Decimal(metric.value)
    return [name for name in ROUNDING if recompute(metric, metrics, name) == printed]
