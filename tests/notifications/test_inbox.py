"""The inbox page, the header's count, marking read, the preferences page and the language switch."""

from __future__ import annotations

from django.utils import timezone

from capacity.notifications import selectors
from capacity.notifications.models import Notification, Preference


def message(user, subject_plan: str = "Aspen Public School 2018-19", **values) -> Notification:
    return Notification.objects.create(
        recipient=user,
        kind="plan_accepted",
        params={"plan": subject_plan, "by": "Board A", "number": 1, "comments": ""},
        url="/plans/1/",
        **values,
    )


def test_the_header_counts_unread_messages_in_words(client, world) -> None:
    teacher = world.personas["teacher_a1"]
    message(teacher)
    message(teacher)
    message(teacher, read_at=timezone.now())
    message(world.personas["principal_a1"])  # someone else's
    client.force_login(teacher)
    page = client.get("/plans/").content.decode()
    assert "Inbox (2 unread)" in page
    assert selectors.unread_count(user=teacher) == 2


def test_the_inbox_shows_unread_first_with_a_link_to_the_thing(client, world) -> None:
    teacher = world.personas["teacher_a1"]
    message(teacher, subject_plan="Older unread")
    message(teacher, subject_plan="Newer but read", read_at=timezone.now())
    client.force_login(teacher)
    page = client.get("/inbox/").content.decode()
    assert page.index("Older unread was accepted") < page.index("Newer but read was accepted")
    assert 'href="/plans/1/"' in page and "Unread" in page


def test_the_inbox_reads_in_the_readers_language(client, world) -> None:
    message(world.personas["teacher_a1"])
    client.force_login(world.personas["teacher_a1"])
    page = client.get("/inbox/", headers={"accept-language": "fr"}).content.decode()
    assert "Aspen Public School 2018-19 a été accepté" in page


def test_the_inbox_is_paginated(client, world) -> None:
    teacher = world.personas["teacher_a1"]
    for _ in range(30):
        message(teacher)
    client.force_login(teacher)
    assert "Page 1 of 2" in client.get("/inbox/").content.decode()
    assert client.get("/inbox/?page=2").content.decode().count('<li class="message-item') == 5


def test_a_person_marks_their_own_message_read(client, world) -> None:
    mine = message(world.personas["teacher_a1"])
    client.force_login(world.personas["teacher_a1"])
    assert client.post(f"/inbox/{mine.pk}/read/").status_code == 302
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_a_person_cannot_read_or_mark_anothers_message(client, world) -> None:
    theirs = message(world.personas["principal_a1"], subject_plan="Private")
    client.force_login(world.personas["teacher_a1"])
    assert client.post(f"/inbox/{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert "Private" not in client.get("/inbox/").content.decode()


def test_mark_all_read_touches_only_the_persons_own(client, world) -> None:
    message(world.personas["teacher_a1"])
    theirs = message(world.personas["principal_a1"])
    client.force_login(world.personas["teacher_a1"])
    client.post("/inbox/read-all/")
    assert selectors.unread_count(user=world.personas["teacher_a1"]) == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_preferences_page_records_email_and_language(client, world) -> None:
    teacher = world.personas["teacher_a1"]
    client.force_login(teacher)
    page = client.get("/account/notifications/").content.decode()
    assert "teacher_a1@example.org" in page and "checked" in page  # email on by default
    response = client.post("/account/notifications/", {"language": "fr"})
    assert response.status_code == 302
    chosen = Preference.objects.get(user=teacher)
    assert (chosen.email, chosen.language) == (False, "fr")
    assert client.post("/account/notifications/", {"language": "xx"}).status_code == 400


def test_switching_the_sites_language_sets_the_language_of_messages(client, world) -> None:
    teacher = world.personas["teacher_a1"]
    client.force_login(teacher)
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/inbox/"})
    assert response.status_code == 302 and response["Location"] == "/inbox/"
    assert Preference.objects.get(user=teacher).language == "fr"
    assert Preference.objects.get(user=teacher).email is True  # the default, kept


def test_recent_lists_the_latest_unread_for_the_home_page(world) -> None:
    teacher = world.personas["teacher_a1"]
    for _ in range(7):
        message(teacher)
    message(teacher, read_at=timezone.now())
    recent = selectors.recent(user=teacher, limit=5)
    assert len(recent) == 5 and all(m.read_at is None for m in recent)
