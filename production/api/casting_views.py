"""The casting routes of gazu 1.3.1's casting module (issue 15), in Zou's
later dialect: one holder's casting (a shot's, an asset's, an episode's) read
and replaced, the castings of a sequence's, an episode's or a project's shots,
of an asset type's assets and of the episodes, one asset cast in or removed
from many entities, where an asset is cast, and the entity links as rows.

Every route names its project: a project the caller cannot see, or a row of
the URL outside it, is a 404. Writes are for managers, admins and the
project's supervisors (production.permissions.may_edit_casting), 403 for the
others; they go through production.casting. Each answer is one query for
its links, whatever their number. Routed in production.api.urls."""

from collections import defaultdict

from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from production import casting, filtersets, permissions, querysets
from production.api.casting_serializers import (
    CASTING,
    CASTING_MAP,
    SHOTS_CASTING_MAP,
    AssetCastRequestSerializer,
    CastingEntryRequestSerializer,
    CastInSerializer,
    EntityLinkSerializer,
)
from production.api.views import ProductionViewSet
from production.models import EPISODE, SHOT, Asset, AssetType, Entity, EntityLink, Episode, Sequence
from zou_site.api.errors import ApiError
from zou_site.api.params import visible_or_404

ENTRY_KEYS = ("asset_id", "asset_name", "asset_type_id", "asset_type_name", "preview_file_id", "nb_occurences", "label")


def entry(row, *extra):
    """A casting line as Zou answers it (`name` is the asset's too)."""
    return {"asset_id": row["asset_id"], "name": row["asset_name"], **{k: row[k] for k in ENTRY_KEYS[1:] + extra}}


def casting_map(rows, *extra):
    """{holder id: [lines]} in the rows' order; holders without a casting are absent, as in Zou."""
    castings = defaultdict(list)
    for row in rows:
        castings[str(row["entity_in_id"])].append(entry(row, *extra))
    return dict(castings)


def cast_in_row(row):
    """Where an asset is cast, with Zou's names for the holder's kind."""
    kind = row["holder_type"]
    out = {
        "id": row["holder_id"],
        "name": row["holder_name"],
        "type": kind if kind in (SHOT, EPISODE, "Sequence") else "Asset",
        "project_id": row["project_id"],
        "preview_file_id": row["preview_file_id"],
        "nb_occurences": row["nb_occurences"],
        "label": row["label"],
    }
    if kind == SHOT:
        out.update(
            shot_id=row["holder_id"],
            shot_name=row["holder_name"],
            sequence_id=row["parent_id"],
            sequence_name=row["parent_name"],
            episode_id=row["grandparent_id"],
            episode_name=row["grandparent_name"],
        )
    elif kind == EPISODE:
        out.update(episode_id=row["holder_id"], episode_name=row["holder_name"])
    else:
        out.update(
            asset_id=row["holder_id"],
            asset_name=row["holder_name"],
            asset_type_id=row["holder_type_id"],
            asset_type_name=kind,
        )
    return out


def casting_body(request):
    """`PUT .../casting`'s body: a JSON list of lines; a bad line is a 400
    naming its index, its field and its asset."""
    if not isinstance(request.data, list):
        raise ApiError("The casting must be a JSON list of {asset_id, nb_occurences, label}.", errors={"casting": ["Expected a JSON list."]})
    lines = []
    for index, item in enumerate(request.data):
        if not isinstance(item, dict):
            raise ApiError(f"Casting line {index}: expected a JSON object.", errors={"casting": [f"Line {index} is not an object."]})
        line = CastingEntryRequestSerializer(data=item)
        if not line.is_valid():
            field, messages = next(iter(line.errors.items()))
            asset = f" (asset {item.get('asset_id')})" if field != "asset_id" else ""
            raise ApiError(f"Casting line {index}{asset}: {field}: {messages[0]}", errors={field: messages})
        lines.append(line.validated_data)
    return lines


class CastingViewSet(viewsets.ViewSet):
    """The casting reads and writes; each action is one route."""

    # Any person may ask: an unseen project is a 404 before the role's 403.
    permission_classes = [IsAuthenticated]

    def project(self):
        return visible_or_404(querysets.visible_projects(self.request.user), self.kwargs["project_id"], "Project")

    def row_of(self, project, queryset, kwarg, label):
        return visible_or_404(queryset.filter(project=project), self.kwargs[kwarg], label)

    def may_edit(self, project):
        permissions.require_edit_casting(self.request.user, project)

    def holder_casting(self, entity):
        rows = querysets.casting_entries(EntityLink.objects.filter(entity_in=entity))
        return [entry(row) for row in rows]

    @extend_schema(methods=["GET"], responses=CASTING, description="The assets cast in a shot, an asset or an episode.")
    @extend_schema(
        methods=["PUT"],
        request=CastingEntryRequestSerializer(many=True),
        responses=CASTING,
        description="Replace the casting: the lines sent become the casting (0 occurrences leaves an asset out). "
        "An asset of another project, a line listed twice or a bad count is a 400 and nothing changes.",
    )
    def entity_casting(self, request, project_id, entity_id):
        project = self.project()
        entity = self.row_of(project, Entity.objects.select_related("entity_type"), "entity_id", "Entity")
        if request.method == "PUT":
            self.may_edit(project)
            casting.casting_set(entity=entity, casting=casting_body(request))
        return Response(self.holder_casting(entity))

    @extend_schema(responses={200: SHOTS_CASTING_MAP}, description="The castings of the sequence's shots, by shot id.")
    def sequence_casting(self, request, project_id, sequence_id):
        sequence = self.row_of(self.project(), Sequence.objects.all(), "sequence_id", "Sequence")
        return self.shots_casting(entity_in__parent=sequence)

    @extend_schema(responses={200: SHOTS_CASTING_MAP}, description="The castings of every shot of the project, by shot id.")
    def project_shots_casting(self, request, project_id):
        return self.shots_casting(entity_in__project=self.project())

    @extend_schema(responses={200: SHOTS_CASTING_MAP}, description="The castings of the shots of the episode's sequences, by shot id.")
    def episode_shots_casting(self, request, project_id, episode_id):
        episode = self.row_of(self.project(), Episode.objects.all(), "episode_id", "Episode")
        return self.shots_casting(entity_in__parent__parent=episode)

    def shots_casting(self, **scope):
        links = EntityLink.objects.filter(entity_in__entity_type__name=SHOT, **scope)
        return Response(casting_map(querysets.shots_casting_entries(links), "sequence_name"))

    @extend_schema(responses={200: CASTING_MAP}, description="The castings of the project's episodes, by episode id.")
    def episodes_casting(self, request, project_id):
        links = EntityLink.objects.filter(entity_in__project=self.project(), entity_in__entity_type__name=EPISODE)
        return Response(casting_map(querysets.casting_entries(links).order_by("entity_in__name", "entity_in_id", "asset_type_name", "asset_name")))

    @extend_schema(responses={200: CASTING_MAP}, description="The castings of the project's assets of this type (set dressing), by asset id.")
    def asset_type_casting(self, request, project_id, asset_type_id):
        project = self.project()
        asset_type = visible_or_404(AssetType.objects.all(), asset_type_id, "Asset type")
        links = EntityLink.objects.filter(entity_in__project=project, entity_in__entity_type=asset_type)
        return Response(casting_map(querysets.casting_entries(links).order_by("entity_in__name", "entity_in_id", "asset_type_name", "asset_name")))

    @extend_schema(
        request=AssetCastRequestSerializer,
        responses={200: CASTING_MAP},
        description="Cast one asset in many entities of the project, leaving their other assets alone "
        "(nb_occurences 0 removes it). Answers each entity's casting, by entity id.",
    )
    def asset_cast(self, request, project_id, asset_id):
        project = self.project()
        asset = self.row_of(project, Asset.objects.select_related("entity_type"), "asset_id", "Asset")
        self.may_edit(project)
        body = AssetCastRequestSerializer(data=request.data if isinstance(request.data, dict) else {})
        body.is_valid(raise_exception=True)
        entity_ids = casting.asset_cast(asset=asset, **body.validated_data)
        links = querysets.casting_entries(EntityLink.objects.filter(entity_in_id__in=entity_ids))
        castings = {str(entity_id): [] for entity_id in entity_ids}
        castings.update(casting_map(links))
        return Response(castings)

    @extend_schema(responses=CastInSerializer(many=True), description="The shots, assets and episodes the asset is cast in.")
    def asset_cast_in(self, request, asset_id):
        asset = visible_or_404(querysets.visible_entities(request.user, Asset.objects.all()), asset_id, "Asset")
        rows = querysets.cast_in_rows(EntityLink.objects.filter(entity_out=asset))
        return Response([cast_in_row(row) for row in rows])


class EntityLinkViewSet(ProductionViewSet):
    """The entity links of a project as rows (paged with ?page), and one
    link's removal."""

    serializer_class = EntityLinkSerializer
    filterset_class = filtersets.EntityLinkFilterSet
    permission_classes = [IsAuthenticated]

    def api_queryset(self, person):
        return querysets.restrict_to_projects(EntityLink.objects.all(), person, "entity_in__project")

    @extend_schema(responses=EntityLinkSerializer(many=True), description="Every casting line of the project's entities.")
    def project_links(self, request, project_id):
        project = visible_or_404(querysets.visible_projects(request.user), project_id, "Project")
        return self.list_response(self.get_queryset().filter(entity_in__project=project))

    @extend_schema(request=None, responses={204: None}, description="Remove one casting line.")
    def destroy(self, request, *args, **kwargs):
        link = visible_or_404(self.get_queryset().select_related("entity_in__project"), self.kwargs["pk"], "Entity link")
        permissions.require_edit_casting(request.user, link.entity_in.project)
        casting.entity_link_delete(link=link)
        return Response(status=status.HTTP_204_NO_CONTENT)
