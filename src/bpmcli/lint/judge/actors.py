"""Who a sentence says did something: people (roles, pronouns, handles, names) or not.

No part-of-speech tagger: the subject of a verb is read from the few words before it,
skipping auxiliaries and adverbs, which is enough for the short declarative sentences of
postmortems ("The on-call engineer had not acknowledged", "@dkim then forgot").
"""

from __future__ import annotations

import re

from bpmcli.lint.judge import _forms
from bpmcli.lint.judge.tokens import Token

PERSON_PRONOUNS = frozenset({"i", "he", "she", "they", "someone", "somebody", "you"})
WE = frozenset({"we", "us", "our"})
NOBODY = frozenset({"nobody", "no-one", "noone"})
# Words between a subject and its verb that do not change who acts.
_SKIP = frozenset(
    {
        "had",
        "has",
        "have",
        "did",
        "does",
        "do",
        "was",
        "were",
        "is",
        "are",
        "been",
        "be",
        "not",
        "never",
        "also",
        "then",
        "just",
        "simply",
        "again",
        "later",
        "still",
        "even",
        "apparently",
        "unfortunately",
        "all",
        "both",
        "themselves",
        "himself",
        "herself",
        "myself",
        "unknowingly",
    }
)
_CLAUSE_JOIN = frozenset({"and", ",", ";", "but", "then", "so"})
_CLAUSE_BREAK = frozenset({"it", "which", "that", "this", "its", "because", "since", "while"})
# Capitalised words that start sentences or name things, never people.
_NOT_NAMES = frozenset(
    [
        "the",
        "a",
        "an",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "we",
        "our",
        "they",
        "their",
        "there",
        "here",
        "when",
        "while",
        "after",
        "before",
        "during",
        "then",
        "however",
        "although",
        "because",
        "since",
        "if",
        "once",
        "so",
        "but",
        "and",
        "or",
        "also",
        "as",
        "at",
        "in",
        "on",
        "of",
        "for",
        "to",
        "by",
        "from",
        "with",
        "without",
        "no",
        "nothing",
        "nobody",
        "none",
        "some",
        "all",
        "any",
        "each",
        "every",
        "one",
        "two",
        "three",
        "our",
        "my",
        "his",
        "her",
        "your",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "kubernetes",
        "github",
        "gitlab",
        "aws",
        "gcp",
        "azure",
        "linux",
        "docker",
        "redis",
        "postgres",
        "postgresql",
        "mysql",
        "nginx",
        "envoy",
        "terraform",
        "helm",
        "prometheus",
        "grafana",
        "cloudflare",
        "slack",
        "jira",
        "google",
        "amazon",
        "microsoft",
        "apple",
        "python",
        "java",
        "node",
        "rust",
        "go",
        "the",
    ]
)
_PREPOSITIONS = frozenset(
    ["on", "in", "at", "from", "with", "to", "for", "of", "into", "onto", "via", "about"]
)
_NAME = re.compile(r"[A-Z][a-z]{1,14}(?:['’]s)?")
_ADVERB = re.compile(r"[a-z]{3,}ly")


def person_kind(token: Token, people: frozenset[str]) -> str | None:
    """'handle', 'person' (a known participant), 'pronoun', 'role', 'roles' or None."""
    bare = token.bare
    if token.text.startswith("@") and len(token.text) > 1:
        return "handle"
    acronym = len(token.text) > 1 and token.text.isupper()  # "SDK", "CDN": products
    if bare in people and token.text[:1].isupper() and not acronym:  # "Will", not "will"
        return "person"
    if bare in PERSON_PRONOUNS:
        return "pronoun"
    lemma = _forms.ROLE_NOUNS.get(bare)
    if lemma is not None:
        return "role" if bare == lemma else "roles"
    return None


def looks_like_name(tokens: list[Token], index: int) -> bool:
    """A capitalised word that may be a first name ("Will", "Bob's"): used only next to
    a word that only people do (forgot, chose to, should have), never on its own."""
    token = tokens[index]
    if not _NAME.fullmatch(token.text) or token.bare in _NOT_NAMES:
        return False
    before = tokens[index - 1].text if index else ""
    return not (before[:1].isupper() and before.lower() not in _NOT_NAMES)  # "Cloud Run"


def subject_of(tokens: list[Token], index: int, people: frozenset[str]) -> tuple[int, str] | None:
    """The person who is the subject of the verb at `index`, with their kind, if any.

    Walks back over auxiliaries and adverbs; across "and" / "," / ";" it keeps looking
    for the subject of the earlier clause ("the user repointed it; and crucially, forgot"),
    unless a non-person pronoun ("it", "which") takes over as the subject.
    """
    joined = False
    for back in range(index - 1, max(-1, index - 25), -1):
        token = tokens[back]
        low = token.bare
        if low in _SKIP or (_ADVERB.fullmatch(low) and not joined):
            continue
        kind = person_kind(token, people)
        if kind is None and looks_like_name(tokens, back):
            kind = "name"
        if kind is not None:
            if back and tokens[back - 1].lower in _PREPOSITIONS:
                return None  # "a post on Teams easily missed": an object, not the subject
            return back, kind
        if low in WE:
            return None
        if back >= 2 and tokens[back - 1].lower in _PREPOSITIONS:
            kind = person_kind(tokens[back - 2], people)
            if kind is not None:
                return back - 2, kind  # "the SRE on duty overlooked", "the author of the change"
        if low in _CLAUSE_JOIN:
            joined = True
            continue
        if not joined or low in _CLAUSE_BREAK:
            return None
    return None


def by_person(tokens: list[Token], index: int, people: frozenset[str]) -> tuple[int, str] | None:
    """The person after "by (the)" at `index` ("forgotten by the operator")."""
    if index >= len(tokens) or tokens[index].lower != "by":
        return None
    for ahead in range(index + 1, min(len(tokens), index + 5)):
        kind = person_kind(tokens[ahead], people)
        if kind is None and looks_like_name(tokens, ahead):
            kind = "name"
        if kind is not None:
            return ahead, kind
        if tokens[ahead].lower not in ("the", "a", "an", "our", "their", "his", "her", "on-call"):
            if ahead + 1 < len(tokens) and person_kind(tokens[ahead + 1], people):
                continue  # "by the release manager", "by the support engineer"
            return None
    return None


def individual(kind: str) -> bool:
    """One person singled out (not a plural role like "reviewers")."""
    return kind != "roles"
