"""Unit tests of the escaping that keeps data text inert."""

import random

from macros import safe_markdown as sm


def test_raw_html_is_escaped_outside_code():
    assert sm.inline("a <script>x</script> b") == "a &lt;script>x&lt;/script> b"


def test_code_spans_are_kept_as_written():
    assert sm.inline("use `<T>` and `{x}` here <b>") == "use `<T>` and `{x}` here &lt;b>"
    assert sm.inline("a ``code with ` tick`` b {") == "a ``code with ` tick`` b \\{"


def test_braces_cannot_open_attribute_lists_or_templates():
    assert sm.inline("word { onclick=x } {{ 7*7 }}") == "word \\{ onclick=x } \\{\\{ 7*7 }}"


def test_entry_links_become_page_links():
    assert sm.inline("see [Redis](technology:redis#uses)") == "see [Redis](../technologies/redis.md#uses)"
    assert sm.inline("[mail](mailto:a@b.c)") == "[mail](mailto:a@b.c)"


def test_fenced_code_is_untouched_but_fence_options_are_dropped():
    text = "Intro <b>\n\n```python {onclick=alert(1)}\nif a < b: x = {1}\n```\n\nAfter {x}"
    assert sm.block(text) == "Intro &lt;b>\n\n```python\nif a < b: x = {1}\n```\n\nAfter \\{x}"


def test_unclosed_fence_is_closed():
    assert sm.block("~~~sql\nSELECT 1;").endswith("SELECT 1;\n~~~")


def test_code_block_fence_is_longer_than_any_backtick_run():
    block = sm.code_block("echo ```` done", "console")
    assert block.startswith("`````console\n") and block.endswith("\n`````")


def test_link_text_and_attribute():
    assert sm.link_text("A [b] | c") == "A \\[b\\] \\| c"
    assert sm.attribute('Say "hi" & <go>') == "Say &quot;hi&quot; &amp; &lt;go&gt;"


def test_heading_keeps_a_trailing_hash():
    assert sm.heading("C#") == "C\\#"


def test_code_spans_are_found_where_the_code_span_pattern_finds_them():
    rng = random.Random(7)  # fixed: the same strings on every run
    samples = ["`a`", "``a`b``", "`a``", "a ``` b ` c ``` d", "`` ` ``", "```", "x`y`z`w`"]
    samples += ["".join(rng.choice("``ab \n") for _ in range(rng.randint(0, 24))) for _ in range(20000)]
    for text in samples:
        assert sm.code_spans(text) == [m.span() for m in sm.CODE_SPAN.finditer(text)], repr(text)
