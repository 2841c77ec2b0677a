"""What staff are told when a notice cannot be changed as asked (messages in Japanese)."""

from __future__ import annotations

from collections.abc import Mapping


class NoticeError(Exception):
    """An action the notice's state does not allow; `str()` is a message for staff (Japanese)."""


class NoticeNotFound(NoticeError):
    def __init__(self, notice_id: int) -> None:
        super().__init__(f"お知らせ {notice_id} は見つかりません。")
        self.notice_id = notice_id


class NoticeInvalid(NoticeError):
    """The draft has mistakes; `errors` maps each field to a message for staff (Japanese)."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__("入力内容に誤りがあります。" + " ".join(errors.values()))
        self.errors = dict(errors)
