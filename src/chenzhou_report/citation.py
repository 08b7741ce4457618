"""How to cite a figure or the data set, crediting the producer first: the provincial circular (its issuer) as
reported by Chenzhou Daily, then this site as the processor, then the permalink and a place for the date accessed.

One format per edition: GB/T 7714-2015 for Chinese (the newspaper entry `[N]`, the processed data `[DB/OL]`, the
date accessed in square brackets, as the standard lays out electronic resources), an APA-like reference for
English. Everything is plain text; the templates escape it like any other text.
"""

from __future__ import annotations

from .languages import language
from .model import Content


def cite(content: Content, lang: str, t, plain, item: str, url: str) -> str:
    """The reference for `item` (a figure's label and printed value, or the data set's title) found at `url`."""
    report = content.report
    title = plain(report.title[lang])
    subtitle = plain(report.subtitle[lang])
    site = t("site_name")
    circular = t("cite_circular")
    if language(lang).citation == "gb-t-7714":
        author = report.byline[lang].split()[-1]  # 全媒体记者 黄靖雯 -> 黄靖雯
        return (f"{report.issuer[lang]}. {circular}[Z]//{author}. {title}　{subtitle}[N]. "
                f"{report.publication[lang]}, {report.year}. {site}, {t('cite_processed')}. {item}[DB/OL]. "
                f"[{t('cite_accessed')}]. {url}.")
    author = report.byline[lang].split(",")[0]  # Huang Jingwen, all-media reporter -> Huang Jingwen
    return (f"{report.issuer[lang]}. ({report.year}). [{circular}]. {t('cite_reported_in')} {author} in "
            f"{report.publication[lang]}, \u201c{title}: {subtitle}.\u201d {t('cite_processed')} {site}: {item} "
            f"[{t('cite_dataset')}]. {t('cite_accessed')} {url}")

__all__ = ["cite"]
