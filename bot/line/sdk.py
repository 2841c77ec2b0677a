"""Loading line-bot-sdk's v3 API without the deprecated v2 API.

`import linebot.v3.messaging` first runs `linebot/__init__.py`, which imports the whole v2 API
(`LineBotApi`, its models, `requests`, the v2 async client): about 23 MiB in every process, none of
it used here (the v3 modules need only `linebot.__about__`). `load_v3_only()` registers the
`linebot` package without running that body, so the v3 modules load as usual. It must run before
anything imports the SDK (the app factory, the scheduler and the command line call it first);
when `linebot` is already imported it changes nothing. Code here uses `linebot.v3` only, so a
`from linebot import LineBotApi` would fail: that is the v2 API, deprecated by LINE.
"""

from __future__ import annotations

import importlib.util
import sys


def load_v3_only() -> None:
    """Make `linebot` an empty package (its v3 subpackages import as usual), once per process."""
    if "linebot" in sys.modules:
        return
    spec = importlib.util.find_spec("linebot")
    if spec is None or spec.submodule_search_locations is None:
        return  # not installed as a package: let the real import report it
    sys.modules["linebot"] = importlib.util.module_from_spec(spec)  # created, not executed
