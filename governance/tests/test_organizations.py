"""The organization tree: university → colleges and departments → Party branches."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from governance.models import Organization
from governance.tests.factories import OrganizationFactory, UniversityFactory

pytestmark = pytest.mark.django_db

Kind = Organization.Kind


def parent_errors(org: Organization) -> list[str]:
    with pytest.raises(ValidationError) as excinfo:
        org.full_clean()
    return excinfo.value.message_dict["parent"]


@pytest.fixture
def university():
    return UniversityFactory(name="江城大学", code="jcu")


@pytest.fixture
def college(university):
    return OrganizationFactory(name="文学院", code="wxy", kind=Kind.COLLEGE, parent=university)


@pytest.fixture
def branch(college):
    return OrganizationFactory(name="中文系教工党支部", code="wxy-jg", kind=Kind.BRANCH, parent=college)


def test_a_university_without_a_parent_is_accepted():
    Organization(name="江城大学", code="jcu", kind=Kind.UNIVERSITY).full_clean()


def test_a_university_under_another_organization_is_refused(university):
    other = Organization(name="分校", code="fx", kind=Kind.UNIVERSITY, parent=university)
    assert parent_errors(other) == ["学校是组织树的根，不能有上级组织。"]


def test_a_college_needs_a_parent():
    college = Organization(name="文学院", code="wxy", kind=Kind.COLLEGE)
    assert parent_errors(college) == ["请为该组织选择上级组织。"]


def test_a_college_under_a_university_is_accepted(university):
    Organization(name="理学院", code="lxy", kind=Kind.COLLEGE, parent=university).full_clean()


def test_a_college_under_another_college_is_refused(college):
    nested = Organization(name="中文系", code="zwx", kind=Kind.COLLEGE, parent=college)
    assert parent_errors(nested) == ["“学院”不能隶属于“学院”。"]


def test_a_department_needs_the_university_as_parent(college):
    department = Organization(name="党委办公室", code="dwbgs", kind=Kind.DEPARTMENT, parent=college)
    assert parent_errors(department) == ["“职能部门”不能隶属于“学院”。"]


def test_a_branch_under_a_college_is_accepted(college):
    Organization(name="本科生党支部", code="wxy-xs", kind=Kind.BRANCH, parent=college).full_clean()


def test_nothing_may_sit_under_a_branch(branch):
    child = Organization(name="党小组", code="xz", kind=Kind.BRANCH, parent=branch)
    assert parent_errors(child) == ["“党支部”不能隶属于“党支部”。"]


def test_an_organization_cannot_be_its_own_parent(branch):
    branch.parent = branch
    assert parent_errors(branch) == ["“党支部”不能隶属于“党支部”。"]


def test_a_cycle_through_the_tree_is_refused(university):
    # Kinds alone allow it: the university re-filed as a branch under its own department.
    department = OrganizationFactory(name="党委办公室", code="dwbgs", kind=Kind.DEPARTMENT, parent=university)
    university.kind = Kind.BRANCH
    university.parent = department
    assert parent_errors(university) == ["上级组织不能是它自己或它的下级。"]


def test_university_finds_the_root_from_any_depth(university, college, branch):
    assert branch.university() == university
    assert college.university() == university
    assert university.university() == university


def test_ancestors_run_from_the_nearest_parent_up_to_the_root(university, college, branch):
    assert branch.ancestors() == [college, university]
    assert college.ancestors() == [university]
    assert university.ancestors() == []


def test_display_name_prefers_the_short_name(university):
    university.short_name = "江大"
    assert university.display_name == "江大"
    assert OrganizationFactory(name="理学院", code="lxy", parent=university).display_name == "理学院"
