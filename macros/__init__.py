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
check        `make check`
"""
