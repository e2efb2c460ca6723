"""Search in real Chromium: exact names first, aliases, words found only in page bodies, kinds shown.

Material's search reacts to key presses, so queries are typed: "/" focuses the box.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from conftest import ROOT
from macros.loader import load_handbook

pytestmark = pytest.mark.slow

HANDBOOK = load_handbook(ROOT / "data", ROOT)


RESULTS_JS = """() => [...document.querySelectorAll('.md-search-result__item')].map(item => {
            const article = item.querySelector('.md-search-result__article');
            return {
              title: article.querySelector('h1, h2').textContent.trim(),
              tags: [...article.querySelectorAll('.md-tag')].map(tag => tag.textContent.trim()),
              href: item.querySelector('a').getAttribute('href'),
            };
          })"""


def search(page: Page, query: str) -> list[dict]:
    """Type a query; return the results in the order shown: title, tags and link of each page.

    The first query opens the search box with "/"; later ones retype into the open box.
    """
    box = page.locator(".md-search__input")
    if box.evaluate("input => input === document.activeElement"):
        # Set all but the last character silently, then type it: Material searches on key
        # events, so it runs the whole query once, with no half-typed words in between.
        box.fill(query[:-1])
        page.keyboard.type(query[-1])
    else:
        page.keyboard.press("/")
        page.keyboard.type(query, delay=20)
    first = page.locator(".md-search-result__item").first
    expect(first).to_be_visible(timeout=10_000)
    # Results arrive per key press: wait until they answer the whole query.
    expect(page.locator(".md-search-result__meta")).not_to_have_text(re.compile("Initializing|Type to start"))
    # Retyped queries leave the old results on screen until the new ones arrive: wait until
    # the list has stopped changing for a moment.
    results, settled = page.evaluate(RESULTS_JS), 0
    while settled < 3:
        page.wait_for_timeout(150)
        again = page.evaluate(RESULTS_JS)
        settled = settled + 1 if again == results else 0
        results = again
    return results


@pytest.mark.parametrize(
    "query, title",
    [
        ("git", "Git"),  # before GitLab, GitHub and GitHub Actions
        ("go", "Go"),  # before Google Cloud Platform
        ("rest", "Representational state transfer (REST)"),  # before "Designing RESTful APIs"
        ("orm", "Object-relational mapping (ORM)"),
        ("k8s", "Kubernetes"),
        ("postgres", "PostgreSQL"),
        ("CI", "Continuous integration (CI)"),  # before CircleCI and Travis CI
    ],
)
def test_exact_name_ranks_first(offline_page: Page, site_url, query, title):  # noqa: F811
    offline_page.goto(site_url)
    results = search(offline_page, query)
    assert results[0]["title"] == title, [r["title"] for r in results[:5]]
    offline_page.keyboard.press("Enter")  # Enter opens the best result: the same page
    expect(offline_page.locator("article h1")).to_have_text(re.compile("^" + re.escape(title)))
    assert offline_page.outside_requests == []


@pytest.mark.parametrize("query, folder, entity_id", [("k8s", "technologies", "kubernetes"), ("postgres", "technologies", "postgresql")])
def test_aliases_are_in_the_data(query, folder, entity_id):
    aliases = [alias.lower() for alias in HANDBOOK.entities[folder][entity_id]["aliases"]]
    assert query in aliases


def test_word_found_only_in_page_bodies(offline_page: Page, site_url):  # noqa: F811
    titles = {entity.title.lower() for entity in HANDBOOK.all()}
    assert not any("stampede" in title for title in titles)
    offline_page.goto(site_url)
    results = search(offline_page, "stampede")
    assert any(urlsplit(r["href"]).path.endswith("/activities/caching/") for r in results), results


def test_each_result_shows_the_kind_of_page(offline_page: Page, site_url):  # noqa: F811
    offline_page.goto(site_url)
    results = search(offline_page, "kafka")
    kinds = {kind.label for kind in {entity.kind for entity in HANDBOOK.all()}}
    entries = [r for r in results if r["tags"]]
    assert entries, results
    for result in entries:
        assert result["tags"][0] in kinds, result
    assert results[0]["tags"][0] == "Technology"
    expect(offline_page.locator(".md-search-result__item .md-tag").first).to_be_visible()


def test_names_file_lists_titles_abbreviations_and_aliases(real_site):
    names = json.loads((real_site / "search" / "names.json").read_text(encoding="utf-8"))
    assert names["technologies/kubernetes/"][:2] == ["kubernetes", "k8s"]
    assert "orm" in names["glossary/orm/"]
    assert set(names) == {f"{e.kind.folder}/{e.id}/" for e in HANDBOOK.all()}


# A newcomer's backend curriculum: each topic's page among the first three results.
CURRICULUM = {
    "http": "glossary/http",
    "https": "glossary/https-and-tls",
    "dns": "glossary/dns",
    "cdn": "glossary/cdn",
    "cors": "glossary/cors",
    "websockets": "glossary/websockets",
    "server-sent events": "glossary/server-sent-events-and-long-polling",
    "grpc": "technologies/grpc",
    "rate limiting": "glossary/rate-limiting",
    "api keys": "glossary/api-keys",
    "openid connect": "glossary/openid-connect",
    "session cookies": "glossary/session-cookies",
    "saml": "glossary/saml",
    "password hashing": "glossary/password-hashing",
    "acid": "glossary/acid",
    "transaction": "glossary/database-transaction",
    "isolation levels": "glossary/isolation-levels",
    "replication": "glossary/replication",
    "sharding": "glossary/sharding-and-partitioning",
    "cap theorem": "glossary/cap-theorem",
    "n+1": "glossary/n-plus-one-problem",
    "connection pooling": "glossary/connection-pooling",
    "sqlite": "technologies/sqlite",
    "dynamodb": "technologies/dynamodb",
    "clickhouse": "technologies/clickhouse",
    "pgvector": "technologies/pgvector",
    "modular monolith": "glossary/monolith",
    "domain-driven design": "glossary/domain-driven-design",
    "event sourcing": "glossary/event-sourcing",
    "saga": "glossary/saga-pattern",
    "outbox": "glossary/transactional-outbox",
    "circuit breaker": "glossary/circuit-breaker",
    "service mesh": "glossary/service-mesh",
    "solid": "glossary/solid-principles",
    "terraform": "technologies/terraform",
    "helm": "technologies/helm",
    "opentelemetry": "technologies/opentelemetry",
    "feature flags": "glossary/feature-flags",
    "canary": "glossary/blue-green-and-canary-releases",
    "slo": "glossary/slos-and-error-budgets",
    "on-call": "activities/on-call",
    "tdd": "glossary/test-driven-development",
    "contract testing": "glossary/contract-testing",
    "playwright": "technologies/playwright",
    "pytest": "technologies/pytest",
    "k6": "technologies/k6",
    "typescript": "technologies/typescript",
    "rust": "technologies/rust",
    "kotlin": "technologies/kotlin",
    "fastapi": "technologies/fastapi",
    "asp.net core": "technologies/aspnet-core",
    "llm": "glossary/llm",
    "embeddings": "glossary/embeddings",
    "prompt injection": "glossary/prompt-injection",
    "mcp": "glossary/model-context-protocol",
}


def test_the_issues_sample_of_new_topics_ranks_first(offline_page: Page, site_url):  # noqa: F811
    offline_page.goto(site_url)
    expected = {
        "oauth": "glossary/oauth-2",
        "tls": "glossary/https-and-tls",
        "cqrs": "glossary/cqrs",
        "nginx": "technologies/nginx",
        "rag": "glossary/retrieval-augmented-generation",
        "jwt": "glossary/jwt",
    }
    firsts = {}
    for query in expected:
        results = search(offline_page, query)
        firsts[query] = urlsplit(results[0]["href"]).path.rstrip("/") if results else None
    assert {q: f for q, f in firsts.items() if not f or not f.endswith(expected[q])} == {}
    assert offline_page.outside_requests == []


def test_curriculum_topics_are_on_the_first_screen(offline_page: Page, site_url):  # noqa: F811
    offline_page.goto(site_url)
    missed = {}
    for query, wanted in CURRICULUM.items():
        top = [urlsplit(r["href"]).path.rstrip("/") for r in search(offline_page, query)[:3]]
        if not any(path.endswith(wanted) for path in top):
            missed[query] = top
    assert not missed, "\n".join(f"{query!r}: top three {top}" for query, top in missed.items())


def test_every_curriculum_page_exists():
    known = {f"{e.kind.folder}/{e.id}" for e in HANDBOOK.all()}
    assert sorted(set(CURRICULUM.values()) - known) == []
