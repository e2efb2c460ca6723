"""The handbook covers every item of the source inventory, with substance, linked both ways."""

from __future__ import annotations

import hashlib
import re

import pytest

from conftest import ROOT
from parsed_pages import page_of
from macros import completeness
from macros.health import WORD_FLOORS
from macros.loader import load_handbook
from macros.xref import CrossReference

HANDBOOK = load_handbook(ROOT / "data", ROOT)
XREF = CrossReference(HANDBOOK)

# Every item of seed-inventory.md, by the name a reader would search for.
INVENTORY = {
    "phases": [
        "Requirement gathering and analysis", "System design and architecture", "Development and coding",
        "Testing and quality assurance", "Deployment and DevOps", "Maintenance and support",
        "Collaboration and communication",
    ],
    "areas": [
        "API development and maintenance", "Database management", "Server-side logic and architecture", "Security",
        "Testing and quality assurance", "Deployment and operations", "Collaboration and communication",
        "Planning and strategy", "Documentation and knowledge sharing", "Continuous learning",
    ],
    "activities": [
        "Designing RESTful APIs", "Implementing business logic", "API documentation", "API versioning",
        "Database schema design", "Writing database queries", "Database migrations", "Database performance tuning",
        "Data modeling", "Database maintenance and backups",
        "Microservices development", "Framework utilization", "Caching", "Asynchronous processing",
        "Architectural patterns", "Choosing the technology stack", "Planning scalability and performance",
        "Setting up the development environment", "Writing clean and maintainable code", "Version control and branching",
        "Authentication and authorization", "Input and data validation", "Defending against common web vulnerabilities",
        "Data encryption",
        "Unit testing", "Integration testing", "End-to-end testing", "Load and performance testing", "Security testing",
        "Debugging and bug fixing",
        "Containerization", "Orchestration", "CI/CD pipeline management", "Monitoring and logging",
        "Setting up servers and infrastructure", "Environment management", "Scaling infrastructure",
        "Incident response and root-cause analysis", "Updating dependencies",
        "Requirements gathering", "Stakeholder meetings", "Daily stand-ups", "Code reviews",
        "Cross-functional teamwork", "Agile practices", "Effective communication", "User support",
        "Project estimation", "Feasibility study", "Defining scope", "Identifying dependencies",
        "Writing technical specifications", "Architectural design", "Creating diagrams", "Technical debt management",
        "Technical documentation", "Mentoring junior developers", "Presentations and demos",
        "Staying up to date", "Experimentation", "Certifications and training",
    ],
    "responsibilities": [
        "Server-side development", "Database management", "API development", "Performance optimization", "Security",
        "Testing and debugging", "Deployment and DevOps", "Documentation", "Version control", "Continuous learning",
    ],
    "technologies": [
        "Python", "Java", "JavaScript", "Node.js", "Ruby", "PHP", "Go", "C#",
        "Express", "Django", "Flask", "Ruby on Rails", "Spring Boot", "Laravel", "Hibernate", "SQLAlchemy",
        "PostgreSQL", "MySQL", "MongoDB", "Redis", "Cassandra", "SQL Server", "Memcached",
        "Flyway", "Liquibase", "OpenAPI", "Swagger", "GraphQL", "RabbitMQ", "Kafka", "Jest", "Mocha", "Selenium",
        "Git", "GitHub", "GitLab", "Bitbucket", "Jenkins", "Travis CI", "CircleCI", "GitHub Actions",
        "Docker", "Kubernetes", "AWS", "Google Cloud Platform", "Microsoft Azure", "DigitalOcean",
        "Prometheus", "Grafana", "ELK stack", "Elasticsearch", "Logstash", "Kibana", "New Relic", "Datadog",
    ],
    "glossary": [
        "REST", "JSON", "CRUD", "ORM", "SQL", "NoSQL", "Normalization", "Index", "MVC", "Microservices", "Serverless",
        "Message queue", "Cache", "SQL injection", "XSS", "CSRF", "Authentication", "Authorization", "Encryption",
        "CI", "CD", "Container", "Load balancer", "High availability", "Scrum", "Kanban", "Sprint", "Retrospective",
        "Root-cause analysis", "Technical debt", "UML", "ER diagram",
    ],
}


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9#+]+", " ", name.casefold()).strip()


def _names(entity) -> set[str]:
    names = {entity.title, *(entity["aliases"] or [])}
    if entity.kind.folder == "glossary" and entity["abbreviation"]:
        names.add(entity["abbreviation"])
    return {_norm(name) for name in names} | {_norm(re.sub(r"\s*\(.*?\)", "", name)) for name in names}


def find(folder: str, name: str):
    wanted = _norm(name)
    matches = [e for e in HANDBOOK.of(folder) if wanted in _names(e)]
    return matches[0] if matches else None


@pytest.mark.parametrize(
    "folder,name", [(folder, name) for folder, names in INVENTORY.items() for name in names], ids=lambda v: str(v)
)
def test_inventory_item_has_its_page(folder, name):
    assert find(folder, name) is not None, f"no {folder} page titled or aliased '{name}'"


def test_counts_match_the_inventory():
    assert len(HANDBOOK.of("phases")) == 7
    assert len(HANDBOOK.of("areas")) == 10
    assert len(HANDBOOK.of("activities")) >= 61
    assert len(HANDBOOK.of("responsibilities")) == 10
    assert len(HANDBOOK.of("technologies")) >= 54
    assert len(HANDBOOK.of("glossary")) >= 32


# The completeness rules live in macros/completeness.py, where `make check` reports them as
# warnings; here every one of them must hold for data/. Each message says what to do.
def report(problems) -> str:
    return "\n".join(map(str, problems))


@pytest.mark.parametrize("folder", list(WORD_FLOORS))
def test_pages_meet_their_word_floor(folder):
    short = [p for p in completeness.word_floor_problems(HANDBOOK) if p.path.startswith(f"data/{folder}/")]
    assert not short, report(short)


def test_activities_have_phases_technologies_or_related():
    assert not (found := completeness.activity_problems(HANDBOOK, XREF)), report(found)


def test_technologies_are_used_and_documented():
    assert not (found := completeness.technology_problems(HANDBOOK, XREF)), report(found)


def test_areas_responsibilities_and_categories_lead_somewhere():
    assert not (found := completeness.structure_problems(HANDBOOK, XREF)), report(found)


def test_each_phase_lists_activities_in_order_with_key_ones():
    assert [phase["order"] for phase in HANDBOOK.of("phases")] == list(range(1, 8))
    assert not [p for p in completeness.structure_problems(HANDBOOK, XREF) if p.path.startswith("data/phases/")]
    for phase in HANDBOOK.of("phases"):
        assert set(phase["key_activities"]) <= set(phase["activities"])


def test_no_paragraph_is_repeated_across_pages():
    assert not (found := completeness.repeated_paragraph_problems(HANDBOOK)), report(found)



@pytest.mark.slow
def test_no_rendered_section_is_empty(real_site):
    for entity in HANDBOOK.all():
        article = page_of(real_site, entity.kind.folder, entity.id).select_one("article")
        for heading in article.find_all("h2"):
            sibling = heading.find_next_sibling()
            assert sibling is not None and sibling.name != "h2", (entity.source, heading.get_text())


SEEDS = ROOT.parent / "shared" / "seeds"
# The source documents' eight-word runs, hashed: the check runs on any clone (CI has no
# seeds beside it) without shipping their text. Regenerated from the seeds when they are here.
SEED_RUNS = ROOT / "tests" / "fixtures" / "seed-runs.txt"


def _shingles(text: str, size: int = 8) -> set[str]:
    found = re.findall(r"[a-z0-9#+]+", text.casefold())
    return {" ".join(found[i : i + size]) for i in range(len(found) - size + 1)}


def _fingerprint(run: str) -> str:
    return hashlib.blake2b(run.encode("utf-8"), digest_size=8).hexdigest()


def _copied_runs(text: str, fingerprints: set[str], names: set[str]) -> set[str]:
    """The text's eight-word runs found in the sources, except runs made only of tool names."""
    return {run for run in _shingles(text) if _fingerprint(run) in fingerprints and not set(run.split()) <= names}


def test_the_seed_fingerprints_match_the_seeds():
    shipped = set(SEED_RUNS.read_text(encoding="utf-8").split())
    assert len(shipped) > 2000  # three documents, about 20 KB of text
    if SEEDS.is_dir():  # beside the source documents: the shipped file must be theirs
        runs = set().union(*(_shingles(path.read_text(encoding="utf-8")) for path in SEEDS.glob("0*.txt")))
        assert shipped == {_fingerprint(run) for run in runs}, f"regenerate {SEED_RUNS.name} from the seeds"


def test_a_copied_run_is_found():
    source = "Backend developers design the interfaces that clients call over the network every day."
    fingerprints = {_fingerprint(run) for run in _shingles(source)}
    assert _copied_runs("They " + source.lower(), fingerprints, set())
    assert not _copied_runs("Backend developers shape interfaces for their clients.", fingerprints, set())


def test_content_is_in_our_own_words():
    """No run of eight words from the source documents, except lists of tool names."""
    fingerprints = set(SEED_RUNS.read_text(encoding="utf-8").split())
    names = {word for tech in HANDBOOK.of("technologies") for name in _names(tech) for word in name.split()}
    for entity in HANDBOOK.all():
        copied = _copied_runs((ROOT / entity.source).read_text(encoding="utf-8"), fingerprints, names)
        assert not copied, (entity.source, sorted(copied)[:3])
