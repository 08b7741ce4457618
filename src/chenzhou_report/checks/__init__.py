"""Checks of the content (no build needed) and of the built site, each reporting `path:line:column: [id] message`.

`content.check_content(content)` runs the content checks; `site.check_site(site_dir, content)` the checks of a
built site; `runner.run_checks(...)` is `chenzhou-report check`. `CHECKS` below lists every check: what it
catches and how to satisfy it legitimately (README.md repeats it for editors).
"""

from __future__ import annotations

from ..errors import Problem

#: a check's finding is a Problem carrying the check's id (Problem.found); one located-problem type for loading,
#: content checks and site checks. The name is kept for annotations.
Finding = Problem


#: check id -> (what it catches, how to satisfy it legitimately). Content checks first, then site checks.
CHECKS: dict[str, tuple[str, str]] = {
    "load": ("everything the build validates: YAML syntax, the schema (fields, types, both languages), unique "
             "ids, references that resolve, headline and counter rules",
             "fix the field the message points at; the message names what is expected"),
    "bare-number": ("a digit typed in prose (paragraphs, titles, labels, lead, glossary, ui strings, the text and "
                    "title of a link) or in a counter, outside a {reference}",
                    "write the figure as a metric and reference it as {metric_id}; for a name that contains "
                    "digits (a year, G4, the \"631\" mechanism) declare it under names: in report.yaml and "
                    "write {name}"),
    "parity": ("the Chinese and English of one text reference different metrics (a figure dropped from or "
               "added to the translation); names are not counted",
               "reference each metric as often in the English as in the Chinese"),
    "derived": ("a derived percentage that does not follow from its numerator and denominator under the "
                "declared rounding; the message names the rounding modes that would match",
                "correct the value or an input, or declare the rounding the article used "
                "(derived: {rounding: down | half_up | half_even | up})"),
    "sanity-percent": ("a percentage outside 0–100", "correct it, or declare `may_exceed_100: true` for a "
                       "figure such as 114.27% of plan"),
    "sanity-part": ("a part larger than its whole (part_of), or a derived numerator larger than its denominator",
                    "correct the figures, or the part_of / derived link; a derived rate that may pass 100% "
                    "declares `may_exceed_100: true`"),
    "sanity-count": ("a count or rank that is not a whole number (after its scale)",
                     "correct the value; a rate per thousand uses `unit: per_thousand`"),
    "sanity-area": ("an area without any metric", "add its metrics, or say why with "
                    "`no_metrics_reason: {zh: …, en: …}`"),
    "source-form": ("a metric whose printed Chinese form (value, scale, unit, measure word) is not in its own "
                    "`source` clause: a digit lost or changed between the article and the data",
                    "make value, scale, unit and counter print exactly what the article prints, and quote the "
                    "article's clause in `source`"),
    "source-text": ("a `source` clause that does not appear verbatim in the area's Chinese text with its figures "
                    "printed: the prose and the data disagree",
                    "quote the clause exactly as the Chinese paragraph prints it (same punctuation)"),
    "unreferenced": ("a metric that no prose references, so no reader sees it in context",
                     "reference it as {metric_id} where the article states it, or delete it"),
    "unsafe-link": ("a link in prose the site would not publish — javascript:, data:, vbscript:, http:, //host, "
                    "/\\host, a root path /…, .. segments, control characters — or an image (images are not "
                    "allowed in prose: no picture from content, no request to another host)",
                    "link only to https://…, mailto:… or a page of this site written from the home page "
                    "(glossary/#term-id); describe a picture in words or link to it"),
    "broken-link": ("a link in prose to a page of this site that does not exist, to an #anchor its page does not "
                    "have, to a .md file, or a bare #anchor (prose is shown on several pages)",
                    "write the page path from the home page with its trailing slash and an anchor it has: "
                    "areas/14-wage-arrears/#wage_recovered, glossary/#term-id, about/#method, report/#area-14"),
    "characters": ("a control character (C0, DEL, C1 such as U+0085), U+2028/U+2029, a bidi control (U+202A–U+202E, "
                   "U+2066–U+2069), an invisible format character (zero-width space or joiner, soft hyphen, U+FEFF) "
                   "or a private-use/unassigned code point anywhere in a content file, typed or written as an "
                   "escape; a line break inside a one-line field (title, label, name, ui string)",
                   "delete the character (it is pasted invisibly from web pages and word processors); Chinese text "
                   "needs none of them"),
    "written": ("a metric's `written:` form that does not state its value in a language (六项 / seven for 6), read "
                "by cn2an and text2num; 首 reads as 1",
                "make the words in both languages and `value` state the same number (第十个 / tenth for 10)"),
    "names": ("a name declared as a translation ({zh, en, translation}) whose languages state different numbers",
              "correct the name so both languages carry the same numbers; a name without digits in words needs "
              "no translation: write one value"),
    "number-words": ("a number written in words in the prose of areas and report.yaml (English: two, fifth, "
                     "five thousand, dozens…; Chinese: runs such as 十六, 三千八百) or any number in a counter; "
                     "not flagged: one/ones/first/second alone, per thousand, single Chinese numerals (一流, 两级), "
                     "glossary match words",
                     "make the figure a metric and write {metric_id} (keep the article's words with `written:`); "
                     "declare a policy term as a glossary term with match:, a name under names:"),
    "site-missing": ("no built site to check", "run `make site` first"),
    "links": ("a broken internal link, image, stylesheet or #anchor in either language (lychee, offline)",
              "link to a page or anchor that exists (glossary anchors are the term id with - for _)"),
    "lang-switch": ("a page without a language switch to each other edition, or one that does not lead to the "
                    "same page there", "keep the same page paths in every edition; the switch comes from "
                    "templates/overrides/partials/alternate.html"),
    "numbers": ("a <data data-metric> whose value or text differs from the YAML metric printed for that page's "
                "language, or a metric missing from its area page in a language",
                "the pages must print figures only through {metric_id}; never edit the built HTML"),
    "hant-script": ("a character of the Simplified script left on a page of the Traditional edition: one that "
                    "does not survive OpenCC's round trip (hk2s, then s2hk) — typed into a template, or a text that "
                    "bypassed the conversion", "never type Chinese into a template (use ui.yaml); if OpenCC is "
                    "right to keep it, declare the phrase in content/hant-overrides.yaml with the reason"),
    "hant-terms": ("a glossary term, name or override phrase that the Traditional page writes otherwise than its "
                   "declared form (the override's, else the term's own conversion) as often as the Simplified "
                   "page has it: OpenCC converted it differently inside a longer phrase",
                   "declare the longer phrase, with its Traditional form and the reason, in "
                   "content/hant-overrides.yaml"),
    "hant-figures": ("a page of the Traditional edition whose figures are not its Simplified counterpart's, in the "
                     "same order, each converted (107.42亿元 -> 107.42億元) with the same machine value",
                     "print figures only through {metric_id}; never edit the built HTML"),
    "allowlist": ("an element, attribute, URL or script on a built page that our templates and the theme do not "
                  "produce (checks/allowlist.py ELEMENTS): an on* attribute, a javascript:/data:/vbscript: URL, "
                  "anything loaded from another host, a <meta http-equiv> other than the CSP, a script not under "
                  "assets/ or an inline script that is not the theme's own",
                  "content can never add markup: fix the template or the sink that let it through; a new element "
                  "or attribute a template really needs is added to ELEMENTS with the reason"),
    "csp": ("a page without exactly one Content-Security-Policy meta element before its first script, or with a "
            "policy looser than script-src 'self' + hashes, img/font/connect-src 'self', object-src 'none', "
            "base-uri 'self'", "build with the plugin (it writes the policy, csp.py); never edit the built HTML"),
    "html": ("HTML that the Nu HTML checker rejects (errors and warnings), except the listed Material theme "
             "messages", "fix the template or prose that produces it"),
    "external": ("(only with --external) an external link that does not answer", "fix or remove the link"),
}

__all__ = ["Finding", "CHECKS"]
