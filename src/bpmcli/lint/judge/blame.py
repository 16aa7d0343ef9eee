"""Blame: a person or a role presented as the one who failed (docs/language.md, BLAME).

A finding needs both halves: someone (a role, a pronoun other than "we", an @handle, a
participant, a first name next to a word only people do) and a failing (a failure verb
they did, an error attributed to them, a judgement word about them). Set phrases that
always mean a person ("human error", "an error was made") need no one named.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import lru_cache

from bpmcli.lint.judge import _forms
from bpmcli.lint.judge.actors import by_person, individual, person_kind, subject_of
from bpmcli.lint.judge.blame_words import (
    _BAD,
    _BE,
    _BROKE,
    _CAUSED,
    _CHEAP,
    _ERROR_NOUNS,
    _FOLLOW,
    _HARM,
    _IDIOMS,
    _LAZY_TECHNICAL,
    _LOAD,
    _MODAL_HAVE,
    _NEGATION,
    _PREVENTING,
    _PROCEDURE,
    _RISK,
    _SET_PHRASE_HEADS,
    _TECHNICAL_AFTER,
    _WORK,
)
from bpmcli.lint.judge.tokens import (
    Judgement,
    Token,
    in_windows,
    quoted,
    span,
    tokenize,
)
from bpmcli.lint.judge.vocabulary import ACCIDENT_WORDS, JUDGEMENT_WORDS

# A person's act called unintended or wrong: "the engineer mistakenly deleted the volume".
# Said of "we" or of a change these are hindsight's words (rule 5), not blame.
_SLIPS = ACCIDENT_WORDS | {"mistakenly", "erroneously", "wrongly", "incorrectly"}

SUGGESTION = (
    "describe the situation instead: what {who} saw, knew and was asked to do, and what in "
    "the system let a normal action cause harm (e.g. 'the runbook did not say ...', "
    "'nothing checked that ...')"
)


Check = Callable[[str, list[Token], frozenset[str]], Iterator[Judgement]]


def find_blame(sentence: str, people: frozenset[str] = frozenset()) -> list[Judgement]:
    """Blame in one sentence; `people` are the postmortem's own people, lower case."""
    return in_windows(_cached_blame_in, sentence, people)


@lru_cache(maxsize=2048)  # boilerplate sentences repeat across postmortems
def _cached_blame_in(sentence: str, people: frozenset[str]) -> tuple[Judgement, ...]:
    return tuple(_blame_in(sentence, people))


def _blame_in(sentence: str, people: frozenset[str]) -> list[Judgement]:
    lowered = sentence.lower()
    if not any(word in lowered for word in _CHEAP):
        return []
    tokens = tokenize(sentence)
    present = {t.bare for t in tokens} & BLAME_TRIGGERS
    if not present:
        return []
    found: list[Judgement] = []
    for check, words in _CHECKS:
        if words.isdisjoint(present):
            continue
        for judgement in check(sentence, tokens, people):
            if not any(j.start <= judgement.start < j.end for j in found):
                found.append(judgement)
    return sorted(found, key=lambda j: j.start)


def _who(tokens: list[Token], index: int) -> str:
    token = tokens[index]
    return token.text.removesuffix("'s").removesuffix("’s")


def _judgement(
    sentence: str, tokens: list[Token], first: int, last: int, what: str, who: str
) -> Judgement:
    start, end, words = span(sentence, tokens, first, last)
    return Judgement(
        start,
        end,
        words,
        f"blaming language {words!r}: {what}",
        SUGGESTION.format(who=who),
    )


def _negated(tokens: list[Token], index: int) -> bool:
    return any(t.lower in _NEGATION for t in tokens[max(0, index - 3) : index])


def _set_phrases(sentence: str, tokens: list[Token], people: frozenset[str]) -> Iterator[Judgement]:
    """ "human error(s)", "operator error": a person meant, whether named or not."""
    for i in range(1, len(tokens)):
        head = tokens[i - 1].lower
        if tokens[i].lower not in ("error", "errors") or head not in _SET_PHRASE_HEADS:
            continue
        after = tokens[i + 1].lower if i + 1 < len(tokens) else ""
        before = {t.lower for t in tokens[max(0, i - 4) : i - 1]}
        if after in _TECHNICAL_AFTER or before & _PREVENTING or quoted(tokens, i):
            continue  # "user error (HTTP 422)", "to catch human errors"
        yield _judgement(
            sentence, tokens, i - 1, i, "a person named as the cause", "the person involved"
        )


def _judgement_words(
    sentence: str, tokens: list[Token], people: frozenset[str]
) -> Iterator[Judgement]:
    """careless, lazy, negligent ... a lapse in judgement, not thorough: about a person."""
    for i, token in enumerate(tokens):
        low = token.lower
        nxt = tokens[i + 1].lower if i + 1 < len(tokens) else ""
        hit: tuple[int, int] | None = None
        if low in JUDGEMENT_WORDS and not (low == "lazy" and nxt in _LAZY_TECHNICAL):
            hit = (i, i)
        elif low == "lapse" and nxt == "in" and i + 2 < len(tokens):
            hit = (i, i + 2)
        elif low == "thorough" and i >= 2 and _not_being(tokens, i):
            hit = (i - 2, i)
        if hit is None or quoted(tokens, i) or (hit[0] == i and _negated(tokens, i)):
            continue
        yield _judgement(sentence, tokens, hit[0], hit[1], "a judgement of a person", "they")


def _not_being(tokens: list[Token], index: int) -> bool:
    """ "without being thorough", "not very thorough"."""
    pair = (tokens[index - 2].lower, tokens[index - 1].lower)
    return pair[0] in ("without", "not") and pair[1] in ("being", "very")


def _nothing_after(tokens: list[Token], index: int) -> bool:
    """ "forgot nothing", "missed none of them": the failing denied."""
    after = tokens[index + 1].lower if index + 1 < len(tokens) else ""
    return after in ("nothing", "none", "no")


def _failure_verbs(
    sentence: str, tokens: list[Token], people: frozenset[str]
) -> Iterator[Judgement]:
    """A person as the subject (or the "by" agent) of forget, overlook, misjudge ..."""
    for i, token in enumerate(tokens):
        low = token.lower
        if low not in _forms.BLAME_VERBS or (low.endswith("ing") and low != "forgetting"):
            continue
        if _negated(tokens, i) or quoted(tokens, i) or _nothing_after(tokens, i):
            continue
        passive = any(t.lower in _BE for t in tokens[max(0, i - 2) : i])
        # in the passive the subject is what was skipped ("they had been skipped": jobs);
        # only a "by" agent is the one who failed
        who = by_person(tokens, i + 1, people)
        if who is None and not passive:
            who = subject_of(tokens, i, people)
        if who is None:
            continue
        if _forms.BLAME_VERBS[low] in ("miss", "skip") and who[1] == "name":
            continue  # too common with product names as subjects
        yield _judgement(
            sentence, tokens, i, i, "a person presented as the one who failed", _who(tokens, who[0])
        )


# "I failed at the hackathon", "he failed hard": a person failing, with no task named.
_FAILED_HOW = frozenset({"at", "hard", "miserably", "badly", "completely", "utterly"})


def _self_or_person(tokens: list[Token], index: int, people: frozenset[str]) -> bool:
    who = subject_of(tokens, index, people)
    return bool(who and individual(who[1]))


def _failed_or_not_followed(
    sentence: str, tokens: list[Token], people: frozenset[str]
) -> Iterator[Judgement]:
    """ "the reviewer failed to ...", "the engineer did not follow the runbook"."""
    for i, token in enumerate(tokens):
        low = token.lower
        after = tokens[i + 1].lower if i + 1 < len(tokens) else ""
        if low == "failed" and after in _FAILED_HOW and _self_or_person(tokens, i, people):
            yield _judgement(
                sentence, tokens, i, i, "a person presented as the one who failed", "they"
            )
        elif low in ("failed", "fails", "fail") and after == "to":
            who = subject_of(tokens, i, people)
            if who and individual(who[1]) and not _negated(tokens, i):
                yield _judgement(
                    sentence,
                    tokens,
                    i,
                    i + 1,
                    "a person presented as the one who failed",
                    _who(tokens, who[0]),
                )
        elif low in _FOLLOW and _negated(tokens, i):
            ahead = {t.lower for t in tokens[i + 1 : i + 5]}
            who = subject_of(tokens, i, people)
            if who is None and _passive_procedure(tokens, i):
                yield _judgement(
                    sentence,
                    tokens,
                    i - 2,
                    i,
                    "a process presented as not complied with",
                    "the people asked to follow it",
                )
            elif who and ahead & _PROCEDURE:
                yield _judgement(
                    sentence,
                    tokens,
                    i,
                    i,
                    "a person presented as the one who did not comply",
                    _who(tokens, who[0]),
                )


def _passive_procedure(tokens: list[Token], index: int) -> bool:
    """ "The new release process was not followed": the passive, a person meant (rule 3)."""
    if index < 2 or tokens[index - 1].lower != "not" or tokens[index - 2].lower not in _BE:
        return False
    if index + 1 < len(tokens) and tokens[index + 1].lower == "by":
        return False  # "was not followed by a restart": what came next
    return any(t.lower in _PROCEDURE for t in tokens[max(0, index - 25) : index - 2])


def _accidents(sentence: str, tokens: list[Token], people: frozenset[str]) -> Iterator[Judgement]:
    """ "A 2nd-line engineer inadvertently wiped the volume": a person's slip as the cause;
    "we accidentally ..." (rule 1) and the passive with no one ("was accidentally deleted")
    are not."""
    for i, token in enumerate(tokens[:-1]):
        if token.lower not in _SLIPS or quoted(tokens, i):
            continue
        if any(t.lower in _BE for t in tokens[max(0, i - 2) : i]):
            continue
        verb = tokens[i + 1].lower
        if not (verb.endswith("ed") or verb in _BROKE):
            continue
        who = subject_of(tokens, i, people)
        if who and tokens[who[0]].bare in _LOAD:
            continue  # "a user accidentally deleted their notebook": the affected, not a colleague
        if who and individual(who[1]) and who[1] != "name":
            yield _judgement(
                sentence,
                tokens,
                i,
                i + 1,
                "a person's slip presented as the cause",
                _who(tokens, who[0]),
            )


def _unreviewed(sentence: str, tokens: list[Token], people: frozenset[str]) -> Iterator[Judgement]:
    """ "pushed without review by the on-call", "was not reviewed by the on-call"."""
    for i, token in enumerate(tokens):
        if (token.lower == "review" and i and tokens[i - 1].lower == "without") or (
            token.lower == "reviewed" and i and tokens[i - 1].lower == "not"
        ):
            first = i - 1
        else:
            continue
        who = by_person(tokens, i + 1, people)
        if who is not None:
            yield _judgement(
                sentence,
                tokens,
                first,
                i,
                "a person presented as the one who skipped a review",
                _who(tokens, who[0]),
            )


def _errors_made(sentence: str, tokens: list[Token], people: frozenset[str]) -> Iterator[Judgement]:
    """ "an error was made", "the mistake by the DBA", "Bob's mistake"."""
    what = "an error attributed to a person"
    for i, token in enumerate(tokens):
        if token.lower not in _ERROR_NOUNS or quoted(tokens, i):
            continue
        after = [t.lower for t in tokens[i + 1 : i + 3]]
        if after in (["was", "made"], ["were", "made"]) or by_person(tokens, i + 1, people):
            yield _judgement(sentence, tokens, i, i, what, "the person involved")
        elif i and _owned_by_person(tokens[i - 1], people):
            yield _judgement(sentence, tokens, i - 1, i, what, _who(tokens, i - 1))


def _owned_by_person(before: Token, people: frozenset[str]) -> bool:
    """ "Bob's", "the operator's" (one person, not "the operators'")."""
    kind = person_kind(before, people)
    return before.possessive and kind != "roles" and (kind is not None or before.text[:1].isupper())


def _at_fault(sentence: str, tokens: list[Token], people: frozenset[str]) -> Iterator[Judgement]:
    """ "the operator was at fault", "Tom is to blame", "the fault of the DBA"."""
    what = "a person presented as the cause"
    for i, token in enumerate(tokens):
        low = token.lower
        if low in ("fault", "blame") and i and tokens[i - 1].lower in ("at", "to"):
            who = subject_of(tokens, i - 1, people)
            if who is not None and not _negated(tokens, i):
                yield _judgement(sentence, tokens, i - 1, i, what, _who(tokens, who[0]))
        elif low == "fault" and i + 2 < len(tokens) and tokens[i + 1].lower == "of":
            who = by_person(tokens, i + 1, people) or _person_at(tokens, i + 2, people)
            if who is not None:
                yield _judgement(sentence, tokens, i, i + 1, what, _who(tokens, who[0]))


def _caused_by(sentence: str, tokens: list[Token], people: frozenset[str]) -> Iterator[Judgement]:
    """ "The outage was caused by Priya": a person named as the cause. Users and customers
    are load, not causes ("caused by a user uploading a 4 GB file")."""
    for i, token in enumerate(tokens):
        if token.lower not in _CAUSED:
            continue
        who = by_person(tokens, i + 1, people)
        if who is not None and _forms.ROLE_NOUNS.get(tokens[who[0]].bare) not in _LOAD:
            yield _judgement(
                sentence, tokens, i, who[0], "a person named as the cause", _who(tokens, who[0])
            )


def _responsible(sentence: str, tokens: list[Token], people: frozenset[str]) -> Iterator[Judgement]:
    """ "The DBA was responsible for the outage" (not "for the failover": a duty)."""
    for i, token in enumerate(tokens):
        if (
            token.lower != "responsible"
            or tokens[i + 1 : i + 2] == []
            or tokens[i + 1].lower != "for"
        ):
            continue
        ahead = {t.lower for t in tokens[i + 2 : i + 5]}
        who = subject_of(tokens, i, people)
        if who and ahead & _HARM:
            yield _judgement(
                sentence,
                tokens,
                i,
                i + 1,
                "a person made responsible for the harm",
                _who(tokens, who[0]),
            )


def _idioms(sentence: str, tokens: list[Token], people: frozenset[str]) -> Iterator[Judgement]:
    """ "dropped the ball", "messed up", "fat-fingered": a person's failing in slang."""
    lows = [t.lower for t in tokens]
    for i in range(len(lows)):
        size = next((len(p) for p in _IDIOMS if tuple(lows[i : i + len(p)]) == p), 0)
        if not size:
            continue
        who = subject_of(tokens, i, people)
        if who is not None and not _negated(tokens, i):
            yield _judgement(
                sentence,
                tokens,
                i,
                i + size - 1,
                "a person presented as the one who failed",
                _who(tokens, who[0]),
            )


def _person_at(tokens: list[Token], index: int, people: frozenset[str]) -> tuple[int, str] | None:
    for ahead in range(index, min(len(tokens), index + 3)):
        kind = person_kind(tokens[ahead], people)
        if kind:
            return ahead, kind
    return None


def _choices(sentence: str, tokens: list[Token], people: frozenset[str]) -> Iterator[Judgement]:
    """ "Will chose to deploy something risky": a choice framed as the failing."""
    for i, token in enumerate(tokens):
        if token.lower not in _forms.CHOICE_VERBS or i + 1 >= len(tokens):
            continue
        if tokens[i + 1].lower != "to":
            continue
        rest = {t.lower for t in tokens[i + 2 :]}
        who = subject_of(tokens, i, people)
        if who and rest & _RISK and "because" not in rest:
            yield _judgement(
                sentence,
                tokens,
                who[0],
                i + 1,
                "a person's choice presented as the cause",
                _who(tokens, who[0]),
            )


def _possessive_work(
    sentence: str, tokens: list[Token], people: frozenset[str]
) -> Iterator[Judgement]:
    """ "Bob's bad deploy", "Alice's change broke login": a person's work as the cause."""
    for i, token in enumerate(tokens[:-1]):
        if not token.possessive or not (person_kind(token, people) or token.text[:1].isupper()):
            continue
        if token.bare in ("it", "that", "what", "there", "here", "today", "github"):
            continue
        j = i + 1
        bad = tokens[j].lower in _BAD
        if bad:
            j += 1
        if j >= len(tokens) or tokens[j].bare not in _WORK:
            continue
        verb = tokens[j + 1].lower if j + 1 < len(tokens) else ""
        if bad or verb in _BROKE:
            yield _judgement(
                sentence,
                tokens,
                i,
                j + (0 if bad else 1),
                "a person's work presented as the cause",
                _who(tokens, i),
            )


def _person_should_have(
    sentence: str, tokens: list[Token], people: frozenset[str]
) -> Iterator[Judgement]:
    """ "Priya should have checked": a named person measured against hindsight."""
    for i, token in enumerate(tokens):
        if token.lower not in _MODAL_HAVE:
            continue
        ahead = [t.lower for t in tokens[i + 1 : i + 4]]
        if token.lower != "should've" and "have" not in ahead and "to" not in ahead:
            continue
        if "been" in ahead:
            continue  # passive: "should have been caught" names no one (rule 4)
        if not _done_after_have(ahead, token.lower == "should've"):
            continue  # "the user should have newer PRs": owning, not a past act redone
        who = subject_of(tokens, i, people)
        if who and individual(who[1]):
            yield _judgement(
                sentence,
                tokens,
                who[0],
                i,
                "a person measured against what is known now",
                _who(tokens, who[0]),
            )


def _done_after_have(ahead: list[str], contracted: bool) -> bool:
    """A past participle after "have" ("should have checked"), or no "have" at all."""
    if "have" not in ahead and not contracted:
        return True  # "ought to", "should to": judged as before
    at = 0 if contracted else ahead.index("have") + 1
    word = ahead[at] if at < len(ahead) else ""
    return word.endswith(("ed", "en", "ght", "wn")) or word in _IRREGULAR_DONE


_IRREGULAR_DONE = frozenset({"done", "seen", "run", "put", "set", "let", "read", "told", "made"})


def _wrong_thing(sentence: str, tokens: list[Token], people: frozenset[str]) -> Iterator[Judgement]:
    """ "He clicked the wrong button": a person's slip as the cause."""
    for i in range(2, len(tokens)):
        if tokens[i].lower != "wrong" or tokens[i - 1].lower != "the":
            continue
        who = subject_of(tokens, i - 2, people)
        if who and who[1] in ("pronoun", "handle", "person", "name", "role"):
            yield _judgement(
                sentence,
                tokens,
                i - 1,
                i,
                "a person's slip presented as the cause",
                _who(tokens, who[0]),
            )


# Each check with the words it needs: a sentence runs only the checks its words call for.
_CHECKS: tuple[tuple[Check, frozenset[str]], ...] = (
    (_set_phrases, frozenset({"error", "errors"})),
    (_judgement_words, JUDGEMENT_WORDS | {"lapse", "thorough"}),
    (_failure_verbs, frozenset(_forms.BLAME_VERBS)),
    (_failed_or_not_followed, _FOLLOW | {"failed", "fails", "fail"}),
    (_unreviewed, frozenset({"review", "reviewed"})),
    (_accidents, _SLIPS),
    (_errors_made, _ERROR_NOUNS),
    (_at_fault, frozenset({"fault", "blame"})),
    (_choices, frozenset(_forms.CHOICE_VERBS)),
    (_possessive_work, _BAD | _BROKE),
    (_person_should_have, _MODAL_HAVE),
    (_wrong_thing, frozenset({"wrong"})),
    (_caused_by, _CAUSED),
    (_responsible, frozenset({"responsible"})),
    (_idioms, frozenset(p[0] for p in _IDIOMS)),
)
BLAME_TRIGGERS = frozenset().union(*(words for _, words in _CHECKS))
