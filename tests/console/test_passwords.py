"""Passwords (argon2id), login names, and account rules."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from bot.staff import accounts as staff
from bot.models import StaffRole, StaffUser


def test_passwords_are_hashed_with_argon2id_at_full_cost_and_verified(monkeypatch):
    monkeypatch.undo()  # the real cost, not the tests' cheap one
    hashed = staff.hash_password("長いパスワードです-2026")
    assert hashed.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert "長いパスワード" not in hashed
    assert staff.verify_password(hashed, "長いパスワードです-2026")
    assert not staff.verify_password(hashed, "長いパスワードです-2025")
    assert not staff.verify_password("not a hash", "anything")
    assert staff.hash_password("same-password-1") != staff.hash_password("same-password-1")  # salted


def test_weak_passwords_and_bad_login_names_are_refused_in_japanese():
    with pytest.raises(staff.AccountError, match="10文字以上"):
        staff.check_password("123456789")
    staff.check_password("mine-city-line-2026")
    assert staff.check_login_name("  Yamada.Taro ") == "yamada.taro"
    for bad in ["", "a", "山田", "a b", "-x", "x" * 65]:
        with pytest.raises(staff.AccountError, match="ログインID"):
            staff.check_login_name(bad)


def test_roles_have_japanese_labels_and_parse_from_english_codes():
    assert [role.label for role in StaffRole] == ["管理者", "作成者", "承認者", "閲覧者"]
    assert staff.parse_role("Approver") is StaffRole.APPROVER
    with pytest.raises(staff.AccountError):
        staff.parse_role("root")


def test_authenticate_checks_password_and_active_flag(db_session):
    user = staff.create(db_session, "Sato", "佐藤", StaffRole.AUTHOR, "correct-password")
    db_session.commit()
    assert staff.authenticate(db_session, "sato", "wrong-password") is None
    assert staff.authenticate(db_session, "nobody", "correct-password") is None
    found = staff.authenticate(db_session, " SATO ", "correct-password")
    assert found is not None and found.id == user.id and found.last_login_at is not None
    staff.disable(db_session, user)
    assert staff.authenticate(db_session, "sato", "correct-password") is None


def test_an_outdated_hash_is_upgraded_at_login(db_session):
    user = staff.create(db_session, "old", "旧", StaffRole.VIEWER, "correct-password")
    user.password_hash = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash("correct-password")
    db_session.commit()
    assert staff.authenticate(db_session, "old", "correct-password") is not None
    assert not staff._hasher().check_needs_rehash(user.password_hash)


def test_names_are_unique_and_the_last_admin_stays(db_session):
    admin = staff.create(db_session, "admin", "管理", StaffRole.ADMIN, "correct-password")
    with pytest.raises(staff.AccountError, match="すでに使われています"):
        staff.create(db_session, "ADMIN", "二人目", StaffRole.VIEWER, "correct-password")
    with pytest.raises(staff.AccountError, match="管理者"):
        staff.disable(db_session, admin)
    with pytest.raises(staff.AccountError, match="管理者"):
        staff.set_role(db_session, admin, StaffRole.VIEWER)
    staff.create(db_session, "admin2", "管理2", StaffRole.ADMIN, "correct-password")
    staff.set_role(db_session, admin, StaffRole.VIEWER)
    db_session.commit()
    assert db_session.get(StaffUser, admin.id).role is StaffRole.VIEWER
