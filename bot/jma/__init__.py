"""Automatic alerts from JMA (気象庁防災情報XML) for the city.

The scheduler polls JMA's Atom feeds (`poll`), fetches each new telegram once (`fetch`, safely),
reads what it says about the city (`telegrams`), decides what becomes a notice (`rules`, with
staff's per-kind choices in `policy`), words it (`wording`) and creates 気象・災害 notices to
every friend through `bot.notices`, which sends them to LINE, the feeds and e-mail. The console
page is `bot/console/jma.py`; `python -m bot jma poll --json` runs one pass (`cli`).
"""
