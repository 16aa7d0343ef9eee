"""The rewrites BPM103 suggests for each vague verb.

Kept in one place so docs/rules.md and the rule agree. Which items are vague is decided by
bpmcli.lint.judge.actions (blame, hindsight and exhortations by the other judges there).
"""

from __future__ import annotations

# verb -> what to write instead (BPM103)
VAGUE_VERBS: dict[str, str] = {
    "investigate": "say what the investigation will produce: 'Write a decision record on ...'",
    "look into": "name the change or the artefact: 'Add a timeout to ...', 'Write a runbook for ...'",
    "improve": "say what changes and how you will know: 'Cut p99 of ... below 300 ms'",
    "document": "name the document and its reader: 'Write the failover runbook for on-call'",
    "monitor": "say what fires and when: 'Alert when queue depth exceeds 10k for 5 minutes'",
    "consider": "decide now, or make deciding the action: 'Decide by <date> whether to ...'",
    "review": "say what the review changes: 'Remove unused flags found in the ... review'",
    "check": "make the check permanent: 'Add a CI step that fails when ...'",
    "explore": "say what you will build or decide: 'Prototype ... and record the result'",
    "research": "say what the research will produce: 'Write a comparison of ...'",
    "discuss": "say what the discussion decides: 'Decide with payments whether ...'",
    "evaluate": "say what the evaluation produces: 'Benchmark ... and pick one'",
    "follow up": "name the concrete next step itself",
    "revisit": "say what you will change: 'Raise the ... limit to ...'",
    "think about": "decide, or make deciding the action: 'Decide by <date> whether to ...'",
    "try": "say what you will do and how you will know it worked",
    "ensure": "name the mechanism that ensures it: 'Add a check that rejects ...'",
    "assess": "say what the assessment produces: 'List the services that ... and fix each'",
    "analyze": "say what the analysis produces: 'Write up the ... and the fixes it needs'",
    "analyse": "say what the analysis produces: 'Write up the ... and the fixes it needs'",
    "figure out": "say what finding out will change: 'Write up why ... and fix it in ...'",
    "find a way": "name the way: 'Cap ... at ...', 'Add a guard that rejects ...'",
    "identify": "say what happens to what is found: 'List the ... and remove each'",
}
