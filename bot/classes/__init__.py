"""スマホ教室 (smartphone classes): listing, booking with a waitlist, reminders and rosters.

One domain package shared by the LINE handlers (`handlers/classes.py`), the console
(`bot/console/classes.py`), the command line (`python -m bot classes ...`) and the scheduler
(`scheduler/class_jobs.py`):

- `seats`: pure seat arithmetic (what a new booking gets, how many seats are left);
- `schedule`: creating, changing, duplicating and cancelling classes, and what residents see;
- `booking`: booking a seat (the class row is locked, so a class never takes more people than
  its capacity), cancelling, promoting from the waitlist, phoned-in participants, rosters;
- `notify`: the outbox of LINE messages owed to participants (reminders, promotions, changes,
  cancellations), sent once each with retry keys;
- `venues`: the venue list kept as data in `content/classes/venues.json`.
"""

# What a class teaches; staff pick one, residents see the label.
LEVELS: dict[str, str] = {
    "beginner": "はじめてのスマホ",
    "line": "LINEの使い方",
    "mynumber": "マイナンバーカード・マイナポータル",
    "cashless": "キャッシュレス決済",
    "bousai": "防災アプリ",
    "other": "その他",
}
