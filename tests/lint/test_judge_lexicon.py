"""The generated lexicon is what tools/gen_lexicon.py makes of the seeds, and cheap."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def test_regenerating_gives_the_committed_file() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "gen_lexicon.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, "stale: run python tools/gen_lexicon.py"


def test_the_judges_do_not_load_lemminflect() -> None:
    code = (
        "import sys\n"
        "from bpmcli.lint.judge import actions, prose\n"
        "prose.judge_prose('The developer forgot to renew it. We should have known.')\n"
        "actions.find_vague('Investigate the cache')\n"
        "assert 'lemminflect' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
