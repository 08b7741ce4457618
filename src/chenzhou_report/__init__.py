"""chenzhou-report: Chenzhou's 2025 commendation as YAML data, rendered into a bilingual static site.

Data flows one way: content (YAML) -> model -> numbers -> render -> site (MkDocs) -> checks.
"""

__version__ = "0.1.0"
