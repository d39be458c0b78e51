"""The Django admin is for staff; role changes made there reach the audit log."""

from __future__ import annotations

from capacity.audit.models import Action, AuditEntry
from capacity.directory.access import scope_for
from capacity.directory.models import Membership, Role, User


def staff(world):
    user = world.personas["ministry"]
    user.is_staff = True
    user.is_superuser = True
    user.save()
    return user


def test_a_non_staff_person_is_sent_to_the_admin_sign_in(client, world) -> None:
    client.force_login(world.personas["board_a"])
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_granting_and_removing_a_role_in_the_admin_is_audited(client, world) -> None:
    client.force_login(staff(world))
    teacher = world.personas["teacher_a1"]
    response = client.post(
        "/admin/directory/membership/add/",
        {
            "user": teacher.pk,
            "role": Role.SCHOOL_TEAM,
            "title": "",
            "school": world.school_a1.pk,
        },
    )
    assert response.status_code == 302, response.content[:2000]
    membership = Membership.objects.get(user=teacher, role=Role.SCHOOL_TEAM)
    granted = AuditEntry.objects.get(action=Action.MEMBERSHIP_GRANTED, target="teacher_a1")
    assert granted.detail["via"] == "admin" and granted.actor == world.personas["ministry"]

    response = client.post(f"/admin/directory/membership/{membership.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action=Action.MEMBERSHIP_REVOKED, target="teacher_a1").exists()


def test_the_admin_refuses_a_role_at_the_wrong_level(client, world) -> None:
    client.force_login(staff(world))
    response = client.post(
        "/admin/directory/membership/add/",
        {
            "user": world.personas["teacher_a1"].pk,
            "role": Role.PRINCIPAL,
            "board": world.board_a.pk,
        },
    )
    assert response.status_code == 200  # the form comes back with the error
    assert not Membership.objects.filter(
        user=world.personas["teacher_a1"], role=Role.PRINCIPAL
    ).exists()


def test_changing_a_role_in_the_admin_is_a_removal_and_a_grant_and_moves_the_scope(
    client, world
) -> None:
    client.force_login(staff(world))
    teacher = world.personas["teacher_a1"]
    membership = Membership.objects.get(user=teacher)
    assert scope_for(teacher).school_ids == {world.school_a1.pk}

    response = client.post(
        f"/admin/directory/membership/{membership.pk}/change/",
        {"user": teacher.pk, "role": Role.TEACHER, "title": "", "school": world.school_a2.pk},
    )

    assert response.status_code == 302, response.content[:2000]
    entries = AuditEntry.objects.filter(target="teacher_a1").order_by("id")
    assert [(e.action, e.detail["organisation"]) for e in entries] == [
        (Action.MEMBERSHIP_REVOKED, str(world.school_a1)),
        (Action.MEMBERSHIP_GRANTED, str(world.school_a2)),
    ]
    # The scope is kept per request on the user object: the next request reads the new role.
    assert scope_for(User.objects.get(pk=teacher.pk)).school_ids == {world.school_a2.pk}


def test_removing_roles_in_bulk_audits_each_one(client, world) -> None:
    client.force_login(staff(world))
    chosen = Membership.objects.filter(user__username__in=["teacher_a1", "team_a1"])

    response = client.post(
        "/admin/directory/membership/",
        {
            "action": "delete_selected",
            "_selected_action": [m.pk for m in chosen],
            "post": "yes",
        },
    )

    assert response.status_code == 302
    assert not Membership.objects.filter(user__username__in=["teacher_a1", "team_a1"]).exists()
    assert set(
        AuditEntry.objects.filter(action=Action.MEMBERSHIP_REVOKED).values_list("target", flat=True)
    ) == {"teacher_a1", "team_a1"}
