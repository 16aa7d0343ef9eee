"""BPM902: temp files that a killed bpm write left beside the postmortems.

bpm writes a file through a temp file in the same folder (`.<name>.<8 characters>.tmp`)
and renames it; a kill in between leaves the temp file, hidden, where `git add -A` would
commit it. The next bpm write in that folder removes such files (under the folder's lock);
`bpm lint` reports the ones it finds beside the files it checks (cli/lint.py).
"""

from __future__ import annotations

from bpmcli.lint.rule import Examples, engine_rule

CODE = "BPM902"
MESSAGE = "temp file left by an interrupted bpm write; delete it before it is committed"

engine_rule(
    CODE,
    "stale-temp-file",
    "error",
    "a temp file (`.<name>.xxxxxxxx.tmp`) left beside the postmortems by an interrupted bpm write",
    "A bpm write that was killed between writing its temp file and renaming it leaves the "
    "temp file behind. It is hidden, and `git add -A` commits it.",
    "Delete it (`rm`); the next bpm edit or new postmortem in that folder also removes it. "
    "The postmortem itself holds the old content or the new, never a mix.",
    examples=Examples(
        "folder",
        flagged=(".2026-11-20-checkout-outage.md.k3x_9q0z.tmp",),
        not_flagged=(".notes.tmp", "2026-11-20-checkout-outage.md.tmp"),
    ),
)
