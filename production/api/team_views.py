"""Persons and teams as gazu's project and person modules call them (issue
15): a project's team, a person's departments, an admin's new password for
someone, and the time a person spent, day by day or summed per task over a
day, week, month or year. A project or person the caller cannot see is 404
before any role check; one they see but may not change is 403. Routed in
production.api.urls; clearing a person's avatar is in files.api."""

import calendar
import datetime

from django.db.models import F, Sum
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers as drf_serializers
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from production import filtersets, permissions, querysets, services
from production.api import serializers
from production.api.action_views import url_date
from production.api.auth_serializers import NewPasswordSerializer
from production.api.views import ProductionViewSet
from production.auth import persons
from production.models import Department, Person, TimeSpent
from zou_site.api.errors import ApiError
from zou_site.api.filters import apply_filterset
from zou_site.api.params import visible_or_404

PERSONS = serializers.PersonSerializer(many=True)


# `role`: gazu's project-only role; roles are studio-wide here (see studio_wide_role).
ROLE_HELP = "null, or the person's own role: " + ", ".join(choice for choice, _ in Person.Role.choices)


class TeamMemberRequestSerializer(drf_serializers.Serializer):
    person_id = drf_serializers.UUIDField()
    role = drf_serializers.CharField(required=False, allow_null=True, help_text=ROLE_HELP)


class TeamRoleRequestSerializer(drf_serializers.Serializer):
    role = drf_serializers.CharField(allow_null=True, help_text=ROLE_HELP)


class DepartmentRequestSerializer(drf_serializers.Serializer):
    department_id = drf_serializers.UUIDField()


TEAM_LINK = inline_serializer(
    "TeamLink",
    {"project_id": drf_serializers.UUIDField(), "person_id": drf_serializers.UUIDField(), "role": drf_serializers.CharField()},
)


def valid_body(serializer_class, request, **context):
    serializer = serializer_class(data=request.data, context=context)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def studio_wide_role(person, role):
    """Roles are studio-wide here: a project-only role other than the
    person's own is refused, naming `role` (None keeps the person's role)."""
    if role is not None and role != person.role:
        raise ApiError(
            f"Roles are studio-wide here: {person.full_name or person.email} is a {person.role} on every project. "
            "Change the person's role instead (admins).",
            errors={"role": ["A project-only role is not kept: give null or the person's own role."]},
        )


class ProjectTeamViewSet(ProductionViewSet):
    """`data/projects/<id>/team`: read by whoever sees the project, changed by managers and admins."""

    serializer_class = serializers.PersonSerializer
    filterset_class = filtersets.PersonFilterSet
    permission_classes = [IsAuthenticated]

    def project(self, *, change=False):
        project = visible_or_404(querysets.visible_projects(self.request.user), self.kwargs["project_id"], "Project")
        if change:
            permissions.require(permissions.may_manage(self.request.user), "Only managers and admins change a project's team.")
        return project

    def member(self, project):
        team = Person.objects.filter(projects=project)
        return visible_or_404(team, self.kwargs["person_id"], "Team member")

    @extend_schema(responses=PERSONS, description="The persons of the project's team.")
    def team(self, request, project_id):
        project = self.project()
        return self.list_response(querysets.persons_for_api(request.user).filter(projects=project).order_by("last_name", "first_name", "id"))

    @extend_schema(
        request=TeamMemberRequestSerializer,
        responses={201: serializers.ProjectSerializer},
        description="Put a person on the team; answers the project. `role`, when given, must be the person's own (roles are studio-wide).",
    )
    def team_add(self, request, project_id):
        project = self.project(change=True)
        body = valid_body(TeamMemberRequestSerializer, request)
        person = Person.objects.filter(pk=body["person_id"]).first()
        if person is None:
            raise ApiError(f"'person_id': no person {body['person_id']}.", errors={"person_id": ["No such person."]})
        studio_wide_role(person, body.get("role"))
        services.project_team_add(project=project, person=person)
        return Response(serializers.ProjectSerializer(querysets.projects_for_api(request.user).get(pk=project.pk)).data, status=201)

    @extend_schema(
        request=TeamRoleRequestSerializer,
        responses=TEAM_LINK,
        description="gazu's update_team_member_role: roles are studio-wide, so only null (the person's own role) or that role is accepted.",
    )
    def team_role(self, request, project_id, person_id):
        project = self.project(change=True)
        person = self.member(project)
        studio_wide_role(person, valid_body(TeamRoleRequestSerializer, request)["role"])
        return Response({"project_id": str(project.pk), "person_id": str(person.pk), "role": person.role})

    @extend_schema(request=None, responses={204: None}, description="Take a person off the team; 404 when they are not on it.")
    def team_remove(self, request, project_id, person_id):
        project = self.project(change=True)
        services.project_team_remove(project=project, person=self.member(project))
        return Response(status=status.HTTP_204_NO_CONTENT)


class PersonActionsViewSet(ProductionViewSet):
    """A person's departments and password: admins (persons are the admin's domain)."""

    serializer_class = serializers.PersonSerializer
    permission_classes = [IsAuthenticated]

    def person(self):
        person = visible_or_404(querysets.visible_persons(self.request.user), self.kwargs["person_id"], "Person")
        persons.persons_write_check(self.request.user)
        return person

    def person_row(self, person):
        return serializers.PersonSerializer(querysets.persons_for_api(self.request.user).get(pk=person.pk)).data

    @extend_schema(request=DepartmentRequestSerializer, responses={201: serializers.PersonSerializer}, description="Add a department to the person's (admins).")
    def department_add(self, request, person_id):
        person = self.person()
        department_id = valid_body(DepartmentRequestSerializer, request)["department_id"]
        department = Department.objects.filter(pk=department_id).first()
        if department is None:
            raise ApiError(f"'department_id': no department {department_id}.", errors={"department_id": ["No such department."]})
        persons.person_department_set(person=person, department=department, actor=request.user)
        return Response(self.person_row(person), status=201)

    @extend_schema(request=None, responses={204: None}, description="Take a department off the person's (admins).")
    def department_remove(self, request, person_id, department_id):
        person = self.person()
        department = visible_or_404(Department.objects.all(), department_id, "Department")
        persons.person_department_set(person=person, department=department, actor=request.user, member=False)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=NewPasswordSerializer,
        responses={200: inline_serializer("PasswordSet", {"success": drf_serializers.BooleanField()})},
        description="An admin sets the person's password: every session of that person ends.",
    )
    def change_password(self, request, person_id):
        person = self.person()
        body = valid_body(NewPasswordSerializer, request, person=person)
        persons.person_password_change(person=person, password=body["password"], actor=request.user)
        return Response({"success": True})


# --- a person's time ---

SUMMARY_ROW = inline_serializer(
    "TimeSpentSummary",
    {
        "task_id": drf_serializers.UUIDField(),
        "task_type_id": drf_serializers.UUIDField(),
        "project_id": drf_serializers.UUIDField(),
        "project_name": drf_serializers.CharField(),
        "entity_name": drf_serializers.CharField(),
        "entity_type_name": drf_serializers.CharField(),
        "sequence_name": drf_serializers.CharField(allow_null=True),
        "episode_name": drf_serializers.CharField(allow_null=True),
        "duration": drf_serializers.IntegerField(),
    },
    many=True,
)
PROJECT_PARAMETER = OpenApiParameter("project_id", str, description="Only the time on this project's tasks.")


def _number(value, name, low, high):
    try:
        number = int(value)
    except ValueError:
        number = None
    if number is None or not low <= number <= high:
        raise ApiError(f"'{name}' must be a number from {low} to {high}, not '{value}'.", errors={name: ["Out of range."]})
    return number


def year_bounds(year):
    year = _number(year, "year", 1, 9998)
    return datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)


def month_bounds(year, month):
    year, month = _number(year, "year", 1, 9998), _number(month, "month", 1, 12)
    first = datetime.date(year, month, 1)
    return first, first + datetime.timedelta(days=calendar.monthrange(year, month)[1])


def week_bounds(year, week):
    year, week = _number(year, "year", 1, 9998), _number(week, "week", 1, 53)
    try:
        monday = datetime.date.fromisocalendar(year, week, 1)
    except ValueError:
        raise ApiError(f"{year} has no ISO week {week}.", errors={"week": ["No such week in this year."]})
    return monday, monday + datetime.timedelta(days=7)


def day_bounds(year, month, day):
    first, _ = month_bounds(year, month)
    day = _number(day, "day", 1, calendar.monthrange(first.year, first.month)[1])
    first = first.replace(day=day)
    return first, first + datetime.timedelta(days=1)


class PersonTimeSpentsViewSet(ProductionViewSet):
    """A person's time on the tasks of the projects the caller sees."""

    serializer_class = serializers.TimeSpentSerializer
    filterset_class = filtersets.TimeSpentRangeFilterSet
    permission_classes = [IsAuthenticated]
    fast_list = True

    def rows(self):
        person = visible_or_404(querysets.visible_persons(self.request.user), self.kwargs["person_id"], "Person")
        return querysets.time_spents_for_api(self.request.user, TimeSpent.objects.filter(person=person))

    @extend_schema(
        responses=serializers.TimeSpentSerializer(many=True),
        description="The person's time spent, from `start_date` to `end_date` (both included, each optional).",
        parameters=[OpenApiParameter("start_date", str), OpenApiParameter("end_date", str)],
    )
    def time_spents(self, request, person_id):
        return self.list_response(self.rows().order_by("date", "id"))

    @extend_schema(responses=serializers.TimeSpentSerializer(many=True), description="The person's time spent on one day.")
    def day(self, request, person_id, date):
        day = url_date(date)
        return self.list_response(self.rows().filter(date=day).order_by("id"), filterset_class=filtersets.TimeSpentFilterSet)

    @extend_schema(responses=serializers.TimeSpentSerializer(many=True), description="The person's time spent in a month, day by day.")
    def month_all(self, request, person_id, year, month):
        start, end = month_bounds(year, month)
        rows = self.rows().filter(date__gte=start, date__lt=end).order_by("date", "id")
        return self.list_response(rows, filterset_class=filtersets.TimeSpentFilterSet)

    def summary(self, start, end):
        """Zou's time sheet: the time of the period summed per task, with the
        names a sheet shows beside it; one query."""
        rows = apply_filterset(filtersets.TimeSpentSummaryFilterSet, self.request, self.rows())
        rows = (
            rows.filter(date__gte=start, date__lt=end)
            .values("task_id")
            .annotate(
                task_type_id=F("task__task_type_id"),
                project_id=F("task__project_id"),
                project_name=F("task__project__name"),
                entity_name=F("task__entity__name"),
                entity_type_name=F("task__entity__entity_type__name"),
                sequence_name=F("task__entity__parent__name"),
                episode_name=F("task__entity__parent__parent__name"),
                total=Sum("duration"),
            )
            .order_by("project_name", "entity_name", "task_id")
        )
        keys = ("task_id", "task_type_id", "project_id")
        return Response([
            {**{k: row[k] for k in row if k != "total"}, **{k: str(row[k]) for k in keys}, "duration": row["total"]}
            for row in rows
        ])

    @extend_schema(responses=SUMMARY_ROW, parameters=[PROJECT_PARAMETER], description="The person's time in a year, summed per task.")
    def year(self, request, person_id, year):
        return self.summary(*year_bounds(year))

    @extend_schema(responses=SUMMARY_ROW, parameters=[PROJECT_PARAMETER], description="The person's time in a month, summed per task.")
    def month(self, request, person_id, year, month):
        return self.summary(*month_bounds(year, month))

    @extend_schema(responses=SUMMARY_ROW, parameters=[PROJECT_PARAMETER], description="The person's time in an ISO week, summed per task.")
    def week(self, request, person_id, year, week):
        return self.summary(*week_bounds(year, week))

    @extend_schema(responses=SUMMARY_ROW, parameters=[PROJECT_PARAMETER], description="The person's time on one day, summed per task.")
    def day_summary(self, request, person_id, year, month, day):
        return self.summary(*day_bounds(year, month, day))
