"""The Backend Handbook's code: YAML data -> validated model -> cross-reference index -> pages.

yaml_source  safe, line-aware parsing of one file
model        kinds, entities, the handbook
validate     JSON Schema and cross-file checks
loader       data/ -> Handbook, or DataError listing every problem
xref         reverse links computed once per build
safe_markdown  data text made inert before it reaches Markdown
render       Handbook -> {page path: Markdown}, no MkDocs needed
page_macros  macros for hand-written pages that opt in
hooks        the thin MkDocs adapter
check        `make check`; annotations: its problems as GitHub Actions annotations
scaffold     `make new`: a data file from its kind's schema; placeholders: what is left to fill in
freshness    review intervals and overdue warnings; health: the Content health page's findings
"""
