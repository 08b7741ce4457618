"""Charts others can reuse: each chart's active title, statistical subtitle, citation, CSV rows, stable file paths,
embed page and the `<iframe>` snippet to copy (issue 13: Our World in Data's and the UK Analysis Function's
practice). A part of `render.SiteRenderer`, which gives it `content`, `lang`, `t`, `prose`, `punct`, `permalink`,
`env` and `page_scripts`."""

from __future__ import annotations

from . import escape
from .charts import ChartView
from .citation import cite
from .convert import figure as converted_figure
from .csp import with_csp
from .languages import language
from .model import Area
from .paths import area_url


class ChartReuse:
    def cite_chart(self, view: ChartView, area: Area) -> str:
        item = f"{self.prose.plain(area.title[self.lang])}{self.punct['colon']}{self.chart_active_title(view)}"
        return cite(self.content, self.lang, self.t, self.prose.plain, item,
                    self.permalink(f"{area_url(area)}#{view.dom_id}"))

    def chart_active_title(self, view: ChartView) -> str:
        return self.prose.plain(view.chart.active_title[self.lang])

    def chart_subtitle(self, view: ChartView) -> str:
        """Unit, period and source of a chart, e.g. 'Unit: leads · Period: 2025 · Source: …'."""
        colon = self.punct["colon"]
        units = []
        for bar in view.bars:
            metric = bar.metric
            if metric.unit == "yuan":
                unit = self.t("unit_yuan")
            elif metric.unit == "percent":
                unit = "%"
            elif metric.counter and language(self.lang).chinese:
                unit = metric.counter.zh
                if language(self.lang).text_from is not None:  # converted like the edition's figures
                    unit = converted_figure(unit, self.lang)
            elif metric.counter and metric.counter.en:
                unit = metric.counter.en[1]
            else:
                unit = ""
            if unit and unit not in units:
                units.append(unit)
        sep = self.punct["enumeration"]
        year = self.t("chart_period_value")
        parts = [view.title,
                 f"{self.t('chart_unit')}{colon}{sep.join(units)}",
                 f"{self.t('chart_period')}{colon}{year}",
                 f"{self.t('chart_source')}{colon}{self.t('source_credit')}"]
        return " · ".join(parts)

    def chart_files(self, view: ChartView) -> dict[str, str]:
        """Paths (below the edition's root) of a chart's CSV, SVG and embed page: stable, named by the chart's id."""
        return {"csv": f"data/charts/{view.chart.id}.csv", "svg": f"data/charts/{view.chart.id}.svg",
                "embed": f"embed/{view.chart.id}.html"}

    def chart_rows(self, view: ChartView) -> list[dict]:
        area = self.content.metric_area[view.bars[0].metric.id]
        return [{"chart": view.chart.id, "item": bar.label, "id": bar.metric.id, "label": bar.metric.label[self.lang],
                 "value": bar.machine, "printed": bar.printed, "unit": bar.metric.unit,
                 "url": f"{area_url(area)}#{bar.metric.id}"} for bar in view.bars]

    CHART_COLUMNS = ["chart", "item", "id", "label", "value", "printed", "unit", "url"]

    def chart_embed_snippet(self, view: ChartView) -> str:
        """The <iframe> a reader copies to show the chart on their own page (text, shown inside <pre><code>)."""
        height = 220 + 46 * len(view.bars)
        # the snippet is text a reader pastes into HTML: its attribute values through the attribute escape
        src = escape.attribute(self.permalink(self.chart_files(view)["embed"]))
        title = escape.attribute(self.chart_active_title(view))
        return (f'<iframe src="{src}" title="{title}" width="{view.width + 40}" height="{height}" '
                f'style="border:0;max-width:100%" loading="lazy"></iframe>')

    def chart_embed_page(self, view: ChartView, area: Area) -> str:
        page = self.env.get_template("embed.html.j2").render(
            view=view, area=area, root="../", chart_id=view.chart.id, citation=self.cite_chart(view, area),
            active_title=self.chart_active_title(view), subtitle=self.chart_subtitle(view)).lstrip()
        # a page MkDocs does not build: it gets the same Content-Security-Policy as every other page here
        return with_csp(page, self.page_scripts)


__all__ = ["ChartReuse"]
