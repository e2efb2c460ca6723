"""The Backend Handbook's code: YAML data -> validated model -> cross-reference index -> pages.

yaml_source  safe, line-aware parsing of one file
model        kinds, entities, the handbook
validate     JSON Schema and per-file checks; cross_rules: the rules that span files
loader       data/ -> Handbook, or DataError listing every problem
xref         reverse links computed once per build
safe_markdown  data text made inert before it reaches Markdown
render       Handbook -> {page path: Markdown}, no MkDocs needed
page_macros  macros for hand-written pages that opt in
hooks        the thin MkDocs adapter; generation_process and build_memory serve it
browser      Chromium, the local static server and the outside-request guard (make pdf, tests, bench)
cli          what the command-line tools share
check        `make check`; annotations: its problems as GitHub Actions annotations
scaffold     `make new`: a data file from its kind's schema; placeholders: what is left to fill in
freshness    review due dates and overdue warnings; health: the Content health page's findings

The package stays flat; README.md's layout table groups the modules by stage.
"""
