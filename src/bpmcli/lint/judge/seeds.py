"""The lemmas the judges reason about, in their base form.

tools/gen_lexicon.py expands them into every inflected form (with lemminflect) and writes
`_forms.py`; the detectors only ever import that generated table, so a lint run never
loads lemminflect. Edit here, then regenerate.
"""

from __future__ import annotations

# A person failing: "the developer forgot", "she misjudged", "@x overlooked".
BLAME_VERBS: tuple[str, ...] = (
    "forget",
    "neglect",
    "overlook",
    "misjudge",
    "ignore",
    "botch",
    "miss",
    "disregard",
    "misread",
    "mistype",
    "misconfigure",
    "skip",
    "fumble",
    "bungle",
    "misunderstand",
    "misinterpret",
)

# Choosing is only blame with a risk word next to it ("chose to deploy something risky").
CHOICE_VERBS: tuple[str, ...] = ("choose", "decide", "opt", "elect")

# A past belief or estimate called wrong (hindsight, docs/language.md rule 5).
WRONG_BELIEF_VERBS: tuple[str, ...] = (
    "underestimate",
    "overestimate",
    "misjudge",
    "misunderstand",
    "misinterpret",
)

# Not-noticing verbs ("nobody noticed", "none of us spotted").
NOTICE_VERBS: tuple[str, ...] = (
    "notice",
    "spot",
    "catch",
    "realise",
    "realize",
    "see",
    "detect",
    "think",  # "nobody thought to check"
)

# Counterfactual outcomes after "would/may have" ("would have prevented").
COUNTERFACTUAL_VERBS: tuple[str, ...] = (
    "prevent",
    "catch",
    "avoid",
    "stop",
    "notice",
    "spot",
    "detect",
    "mitigate",
    "let",
    "save",
    "isolate",
    "find",
    "flag",
    "block",
    "reduce",
    "limit",
    # a missing safeguard that "would have allowed/enabled us to ..." (rule 8)
    "allow",
    "enable",
)

# Vague action verbs (BPM103), single words; phrases are in actions.py.
VAGUE_VERBS: tuple[str, ...] = (
    "investigate",
    "improve",
    "consider",
    "explore",
    "research",
    "evaluate",
    "revisit",
    "review",
    "assess",
    "analyse",
    "analyze",
    "optimise",
    "optimize",
    "discuss",
    "continue",
    "monitor",
    "document",
    "identify",
    "ensure",
    "prevent",
    "try",
    "check",
    "examine",
    "study",
    "reconsider",
    "rethink",
    "enhance",
    "strengthen",
    "clarify",
    "address",
    # deliberation and coordination with no artefact ("Align SLAs with the business")
    "align",
    "coordinate",
    "brainstorm",
)

# Person roles: a role noun as the one who failed is blame.
ROLE_NOUNS: tuple[str, ...] = (
    "developer",
    "engineer",
    "operator",
    "on-call",
    "oncall",
    "user",
    "reviewer",
    "team",
    "admin",
    "administrator",
    "dba",
    "manager",
    "contractor",
    "maintainer",
    "sre",
    "author",
    "committer",
    "person",
    "employee",
    "intern",
    "colleague",
    "tester",
    "analyst",
    "deployer",
    "responder",
    "member",
    "customer",
    "human",
)
