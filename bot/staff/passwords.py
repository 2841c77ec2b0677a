"""Is a new staff password guessable? zxcvbn (Dropbox's estimator, offline: its dictionaries of
common passwords, names and words ship with the package) scores it; the console and the command
line refuse anything below GOOD_SCORE, and some cases zxcvbn scores well enough but staff should
never choose (the login name itself, one character repeated), with a reason in Japanese.
"""

from __future__ import annotations

import unicodedata

GOOD_SCORE = 3  # zxcvbn: 3 = "safely unguessable: moderate protection from offline attack"
CHECKED_LENGTH = 100  # zxcvbn slows down on very long input; the start decides the score anyway

TOO_COMMON = "よく使われるパスワードや推測されやすいパスワードは使えません。"
FEEDBACK = {
    "This is a top-10 common password.": TOO_COMMON,
    "This is a top-100 common password.": TOO_COMMON,
    "This is a very common password.": TOO_COMMON,
    "This is similar to a commonly used password.": "よく使われるパスワードに似ています。",
    "Repeats like \"aaa\" are easy to guess.": "同じ文字の繰り返しは推測されやすいため使えません。",
    "Repeats like \"abcabcabc\" are only slightly harder to guess than \"abc\".": "同じ並びの繰り返しは推測されやすいため使えません。",
    "Sequences like abc or 6543 are easy to guess.": "「abc」「6543」のような並びは推測されやすいため使えません。",
    "Recent years are easy to guess.": "年（西暦）は推測されやすいため使えません。",
    "Dates are often easy to guess.": "日付は推測されやすいため使えません。",
    "Straight rows of keys are easy to guess.": "キーボードの並び順は推測されやすいため使えません。",
    "Short keyboard patterns are easy to guess.": "キーボードの並び順は推測されやすいため使えません。",
    "Names and surnames by themselves are easy to guess.": "名前や名字だけのパスワードは推測されやすいため使えません。",
    "Common names and surnames are easy to guess.": "よくある名前や名字は推測されやすいため使えません。",
    "A word by itself is easy to guess.": "単語ひとつだけのパスワードは推測されやすいため使えません。",
}
GENERIC = "推測されやすいパスワードです。単語をいくつか組み合わせるなど、長く推測しにくいものにしてください。"


def weakness(password: str, login_name: str = "", display_name: str = "") -> str | None:
    """Why `password` is too easy to guess (Japanese, for staff), or None when it is fine."""
    folded = unicodedata.normalize("NFKC", password).strip().lower()
    if len(set(folded)) <= 1:
        return "同じ文字だけのパスワードは使えません。"
    if len(login_name) >= 4 and login_name.lower() in folded:
        return "ログインIDを含むパスワードは使えません。"
    # Imported here: its dictionaries take ~14 MiB, which web workers that never set a password
    # (all but a few) should not carry.
    from zxcvbn import zxcvbn

    personal = [value for value in (login_name, display_name) if value]
    result = zxcvbn(password[:CHECKED_LENGTH], user_inputs=personal)
    if result["score"] >= GOOD_SCORE:
        return None
    warning = (result.get("feedback") or {}).get("warning") or ""
    return FEEDBACK.get(warning, GENERIC)
