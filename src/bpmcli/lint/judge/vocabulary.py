"""Hand-written word lists that the prose gate and the judges share (the generated
inflections of verbs are in `_forms`). Light on purpose: the gate imports it on every lint."""

from __future__ import annotations

# Words that judge a person (careless, lazy ...): blame when they are said of someone.
JUDGEMENT_WORDS = frozenset(
    [
        "careless",
        "carelessly",
        "carelessness",
        "lazy",
        "laziness",
        "sloppy",
        "sloppiness",
        "negligent",
        "negligence",
        "negligently",
        "reckless",
        "recklessly",
        "recklessness",
        "incompetent",
        "incompetence",
        "thoughtless",
        "thoughtlessly",
    ]
)

# A person's slip: blame when a person or role is the subject ("accidentally deleted").
ACCIDENT_WORDS = frozenset({"accidentally", "accidently", "unintentionally", "inadvertently"})
