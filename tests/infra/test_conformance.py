"""Every box and arrow of the seed diagram exists in the synthesized templates."""

from __future__ import annotations

from tests.infra.conformance import EDGES, NODES, unimplemented
from tests.infra.conftest import Synth
from tests.infra.seed import DIAGRAM, parse, seed


def test_the_diagram_parses_to_its_boxes_and_arrows() -> None:
    nodes, edges = seed()
    assert len(nodes) == 22 and len(edges) == 31  # the brief counts 23 components
    assert {n for e in edges for n in e} <= nodes


def test_every_box_and_arrow_is_implemented(synths: dict[str, Synth]) -> None:
    nodes, edges = seed()
    assert unimplemented(nodes, edges, synths["prod"]) == []


def test_checks_exist_only_for_what_the_diagram_draws() -> None:
    nodes, edges = seed()
    assert set(NODES) == nodes and set(EDGES) == edges


def test_a_new_box_or_arrow_without_infrastructure_fails(synths: dict[str, Synth]) -> None:
    text = DIAGRAM.read_text().replace(
        "    %% Global connections",
        "    SQS[SQS<br/>Job Queue]\n    ECS --> SQS\n    WAF --> CLOUDFRONT\n    %% Global connections",
    )
    nodes, edges = parse(text)
    problems = unimplemented(nodes, edges, synths["prod"])
    assert problems == [
        "box SQS: nothing implements it",
        "arrow ECS --> SQS: nothing implements it",
        "arrow WAF --> CLOUDFRONT: nothing implements it",
    ]


def test_a_broken_relation_is_caught(synths: dict[str, Synth]) -> None:
    """The checks read the template: cut the WAF association and its arrow fails."""
    import copy

    prod = copy.deepcopy(synths["prod"])
    for key in [
        k for k, v in prod.main["Resources"].items() if v["Type"] == "AWS::WAFv2::WebACLAssociation"
    ]:
        del prod.main["Resources"][key]
    nodes, edges = seed()
    problems = unimplemented(nodes, edges, prod)
    assert [p.split(":")[0] for p in problems] == ["arrow WAF --> ALB"]


def test_without_a_domain_everything_but_dns_and_certificates_is_there(
    synths: dict[str, Synth],
) -> None:
    """dev has no domain: no Route53 records, no ACM certificates (docs/operations.md,
    "Without a domain"); every other box and arrow holds."""
    nodes, edges = seed()
    for env in ("dev",):
        problems = unimplemented(nodes, edges, synths[env])
        assert sorted(p.split(":")[0] for p in problems) == [
            "arrow ACM --> ALB",
            "arrow ACM --> CLOUDFRONT",
            "arrow ROUTE53 --> ALB",
            "arrow ROUTE53 --> CLOUDFRONT",
            "box ACM",
            "box ROUTE53",
        ], env
