"""The spec's format 2 worked example (spec/audit-tool-format.md), verbatim, for the tests.

"A complete small example" and the `auditui tools grade` input and output
shown for it. ``test_grading.py`` checks the YAML here is the spec's, so a
change to the spec fails a named test instead of drifting.
"""

from __future__ import annotations

from typing import Any

SPEC_EXAMPLE2_YAML = """\
format: 2
id: childs-voice-visits
version: 1
title: Child's voice and visits dip sample
applies_to: [CIN, CP, CLA]
grading:
  overall: {rule: lowest_section, rationale: always}
sections:
  - id: profile
    number: "1"
    title: Case profile
    grading: none
    questions:
      - id: allocated_on
        number: "1.1"
        text: Date the case was allocated
        type: date
        max: today
      - id: first_visit_on
        number: "1.2"
        text: Date of the first visit after allocation
        type: date
        min: {question: allocated_on}
        max: today
  - id: seen
    number: "2"
    title: Seeing the child
    grading: score
    questions:
      - id: working_days_to_visit
        number: "2.1"
        text: Working days from allocation to the first visit
        type: number
        compute: {working_days: {from: allocated_on, to: first_visit_on}}
      - id: visit_in_timescale
        number: "2.2"
        text: Was the child visited within 5 working days of allocation?
        type: yes_no
        compute: {working_days: {from: allocated_on, to: first_visit_on}, at_most: 5}
        points: {yes: 1, no: 0}
        limiting: {answers: [no], cap: requires_improvement}
        measure: {label: First visit within 5 working days, target: 95}
      - id: seen_alone
        number: "2.3"
        text: Was the child seen alone?
        help: N/A for pre-verbal children; say why in the evidence.
        type: yes_no
        allow_na: true
        evidence: when_not_yes
        points: {yes: 1, no: 0}
        measure: {label: Child seen alone, target: 70}
  - id: voice
    number: "3"
    title: Wishes and feelings
    grading: {rule: lowest, rationale: always}
    questions:
      - id: direct_work_tools
        number: "3.1"
        text: Which direct-work tools were used?
        type: multi
        options:
          - {id: momo, label: Mind of My Own}
          - {id: three_houses, label: Three Houses}
          - {id: other, label: Other}
      - id: momo_shared
        number: "3.2"
        text: Were the Mind of My Own statements shared with the child's IRO?
        type: yes_no
        show_if: {question: direct_work_tools, equals: momo}
      - id: voice_quality
        number: "3.3"
        text: How well does the plan reflect the child's voice?
        type: grade
        evidence: always
      - id: practitioner_reflection
        number: "3.4"
        text: The practitioner's reflection on the child's voice
        type: text
        required: false
        show_if: {detail: practitioner_present, equals: true}
  - id: cla_review
    number: "4"
    title: The child's last looked after review
    guidance: Mark the section N/A when the first review is not yet due.
    show_if: {detail: case_type, equals: CLA}
    allow_na: true
    grading: lowest
    questions:
      - id: review_participation
        number: "4.1"
        text: How well did the child take part in their review?
        type: grade
"""

SPEC_EXAMPLE2_ANSWERS: dict[str, Any] = {
    "answers": {
        "allocated_on": "2026-04-01",
        "first_visit_on": "2026-04-10",
        "seen_alone": "no",
        "direct_work_tools": ["momo", "other"],
        "voice_quality": "good",
    },
    "evidence": {"voice_quality": "The plan quotes the child's own words."},
    "rationales": {"overall": "Visits prompt despite Easter; seen alone not recorded."},
    "details": {"case_type": "CLA", "practitioner_present": False},
    "sections_na": {"cla_review": "First review not yet due."},
}

SPEC_EXAMPLE2_RESULT: dict[str, Any] = {
    "sections": {
        "profile": {"percent": None, "suggested": None, "final": None},
        "seen": {
            "percent": 50.0,
            "suggested": "requires_improvement",
            "final": "requires_improvement",
        },
        "voice": {"percent": None, "suggested": "good", "final": "good"},
        "cla_review": {"percent": None, "suggested": None, "final": None},
    },
    "overall": {
        "percent": None,
        "suggested": "requires_improvement",
        "final": "requires_improvement",
    },
    "complete": False,
    "missing": ["momo_shared"],
    "missing_evidence": ["seen_alone"],
    "missing_rationale": ["voice"],
    "computed": {"working_days_to_visit": 5, "visit_in_timescale": "yes"},
}
