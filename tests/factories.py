"""factory_boy factories that keep the organisation tree consistent."""

from __future__ import annotations

import factory

from capacity.directory.models import (
    Board,
    Language,
    Membership,
    Network,
    Province,
    School,
    SchoolContext,
    User,
)


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Province
        django_get_or_create = ("code",)

    code = "ON"
    name = "Ontario"


class BoardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Board

    province = factory.SubFactory(ProvinceFactory)
    number = factory.Sequence(lambda n: f"B{60000 + n:05d}")
    name = factory.Sequence(lambda n: f"Test District School Board {n}")
    language = Language.ENGLISH
    board_type = Board.Type.PUBLIC


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    board = factory.SubFactory(BoardFactory)
    number = factory.Sequence(lambda n: f"{900000 + n:06d}")
    name = factory.Sequence(lambda n: f"Test Public School {n}")
    level = School.Level.ELEMENTARY
    language = factory.SelfAttribute("board.language")
    grade_range = "JK-8"
    city = "Sudbury"
    enrolment = 300


class SchoolContextFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolContext

    school = factory.SubFactory(SchoolFactory)
    school_year = "2023-24"
    enrolment = 300
    pct_low_income = 15.0
    pct_language_learners = 10.0
    pct_special_education = 15.0
    pct_parents_no_degree = 5.0


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network

    name = factory.Sequence(lambda n: f"Learning network {n}")
    purpose = "Junior mathematics: moving students from level 2 to level 3."


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    display_name = factory.LazyAttribute(lambda u: u.username.replace(".", " ").title())
    password = factory.django.Password("correct horse battery")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
