"""Ship Mermaid only to the pages that draw a diagram, and before Material's bundle.

Material renders ```mermaid blocks itself, but fetches the library from a CDN unless a
global ``mermaid`` already exists. So a page whose HTML holds a Mermaid block gets a
relative <script> for the copy in docs/javascripts/vendor/mermaid/ (about 1 MB gzipped),
placed before the bundle; every other page stays as light as it was. Plain string work,
no MkDocs import: the hook calls it with each page's HTML and URL.
"""

from __future__ import annotations

import re

SCRIPT = "javascripts/vendor/mermaid/mermaid.min.js"
# What pymdownx.superfences writes for a ```mermaid fence (custom fence, class "mermaid").
BLOCK = '<pre class="mermaid">'
BUNDLE = re.compile(r'<script src="[^"]*assets/javascripts/bundle\.[0-9a-f]+\.min\.js"')


def add_script(output: str, page_url: str) -> str:
    """``output`` with the Mermaid script before Material's bundle, if the page needs it."""
    if BLOCK not in output:
        return output
    # Directory URLs: one '../' per folder level of the page's URL.
    tag = f'<script src="{"../" * page_url.count("/")}{SCRIPT}"></script>'
    bundle = BUNDLE.search(output)
    at = bundle.start() if bundle else output.rindex("</body>")  # no bundle: nothing to race
    return output[:at] + tag + output[at:]
