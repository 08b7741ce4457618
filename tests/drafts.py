"""Copies of content/ that tests break on purpose are drafts, never published.

They leave out `content/published.json`, the record of the published figures: a test that changes a figure to
trip one check (derived, source-form, sanity…) would otherwise also trip `revisions`, which is right for a
published site but not what that test is about. `tests/test_revisions.py` checks copies with the record.
"""

import shutil

#: `shutil.copytree(..., ignore=UNPUBLISHED)`
UNPUBLISHED = shutil.ignore_patterns("published.json")
