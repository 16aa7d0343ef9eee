"""How each judge decides, in words: docs/rules.md shows these under their rules."""

from __future__ import annotations

BLAME = (
    "A finding needs someone and a failing. Someone: a role (developer, engineer, operator, "
    "on-call, user, reviewer, team ...), a pronoun other than *we* (I, he, she, they), an "
    "@handle, one of the postmortem's own people (participants, facilitator, timeline "
    "actors, action owners), or a capitalised first name next to a word only people do. "
    "A failing: a failure verb in any form with that person as its subject or its *by* "
    "agent (forgot, neglected, overlooked, misjudged, ignored, botched, missed, skipped, "
    "*failed to*, *did not follow the runbook*, *without review by*), an error attributed "
    "to them (*an error was made*, *the mistake by the DBA*, *Bob's mistake*, *at fault*, "
    "*to blame*), a risky choice (*chose to deploy something risky*), a person's work as "
    "the cause (*Bob's bad deploy*, *Alice's change broke ...*), a judgement word about a "
    "person (careless, lazy, sloppy, negligent, *a lapse in judgement*, *without being "
    "thorough*), or *should have* with a person as subject. Set phrases need no one named: "
    "*human error(s)*, *operator error*. Not blame: *we*; a system as the subject (*the "
    "scheduler forgot its leases*); technical senses (*git blame*, *user error (HTTP "
    "422)*, *lazy loading*); negated failings; words in quotes.\n"
)
HINDSIGHT = (
    "Counterfactual grammar: a modal, *have* and a past participle (*should have rolled "
    "back*, *could have caught*, *would not have let it through*, *may have prevented*), "
    "*if we had ...*, *had we known*, *if only we ...*; not-noticing as a failing "
    "(*nobody noticed*, *none of us noticed*); a past belief or estimate called wrong "
    "(*mistakenly*, *wrongly*, *incorrectly*, *underestimated*, *misconception*, *a "
    "dangerous decision*); verdicts (*In hindsight, this was ...*, *Obviously, ...*, "
    "*Clearly, ...*, *the signs were obvious*). Not hindsight: *failed to* with a system "
    "as subject (*the pod failed to start*); *should have been published on Friday* (was "
    "due) and *should have at least one* (must have); possibilities weighed at the time "
    "(*there could have been an issue*); technical counterfactuals about a design "
    "(*would have been safe*, *these changes would not have protected us*); a machine's "
    "malfunction with its cause (*mistakenly marked healthy because ...*); *in hindsight* "
    "before a present-tense finding; *nobody noticed* after its system reason (*no alert "
    "was configured, so nobody noticed*); most *simply* and *clearly*.\n"
)
VAGUE = (
    "An item is read after its lead-in (*Long term:*, *Title:*, *We should*, *We are*). "
    "It is vague when it starts with a vague verb in any form (investigate, look into, "
    "figure out, find a way to, consider, evaluate, improve, review, document, monitor "
    "...), or promises a vague goal (*add more/missing ...*, *better dashboards*, "
    "*proactive alerts*, *a strategy for ...*, *long term fix*, *make ... safer*, *reduce "
    "the risk of ...*, *... should be improved*, *easy to maintain*), and names nothing "
    "that says when it is done. A weak verb (document, ensure, monitor, review, improve "
    "...) is forgiven by an artefact and its reader (*the failover runbook for "
    "on-call*), a mechanism (*by making the pipeline reject ...*, *cannot be started if "
    "...*), a checkable end (*so that ...*) or a measure (*below 10%*, *for 5 minutes*); "
    "a strong one (investigate, figure out, explore, consider) only by a second, concrete "
    "verb (*Investigate and write up ...*). Links to tickets are not a measure.\n"
)
EXHORTATION = (
    "A verb frame that asks people to behave instead of changing the system: *be / stay / "
    "remain (more) careful, vigilant, aware*; *take (extra) care* (not *take care of*); "
    "*pay attention*; *remember to*, *don't forget*; *remind / encourage / ask / tell* "
    "people, the team, engineers ... *to*; *make sure to*, *make sure we ...*; *check "
    "every ... before*; *more carefully*, *more thoroughly*, *double-check*, *next "
    "time*. An item that names its mechanism (*... by making the pipeline reject direct "
    "pushes*) is not an exhortation.\n"
)
HEADLINE = (
    "A topic where an action should be: a short label before a colon with no article "
    "(*Retry limits:*, *Load testing framework:*, *Database: connection pooling*) or a "
    "short noun phrase on its own (*Monitoring*, *Process improvements*), even when its "
    "first word can be a verb (retry, load, test, log ...). An item that starts with a "
    "clear verb (add, remove, raise, make ...) or with one of `allowed_verbs` is not a "
    "headline; reports of what was done and goal states are not judged by this rule.\n"
)
