"""The data routes' writes store their events: every viewset built on
ProductionViewSet emits `<type>:new|update|delete` (and a task's status and
assignation events) in the transaction of the write, with no code per route.

A viewset that overrides perform_create calls super().perform_create(serializer,
**extra); one whose perform_destroy goes through a service leaves the event to
that service (production.services and friends store their own)."""

from django.db import transaction

from production import events
from zou_site.api.serializers import ZouModelSerializer


class EventWritesMixin:
    def perform_create(self, serializer, **extra):
        def store(instance):
            events.store(self.created_events(serializer, instance))

        if isinstance(serializer, ZouModelSerializer):
            # The serializer opens the write's transaction after its checks.
            serializer.on_write = store
            return serializer.save(**extra)
        with transaction.atomic():
            instance = serializer.save(**extra)
            store(instance)
        return instance

    def created_events(self, serializer, instance):
        """The events of a row created through the route (a viewset adds those of what came with it)."""
        return [events.created(instance)]

    def perform_update(self, serializer):
        instance = serializer.instance
        many_to_many = [f.name for f in instance._meta.many_to_many if f.name in serializer.validated_data]
        with transaction.atomic():
            before = events.snapshot(instance, many_to_many)
            instance = serializer.save()
            events.store(events.update_events(instance, before))
        return instance

    def perform_destroy(self, instance):
        self._deleting = instance
        with transaction.atomic():
            event = events.deleted(instance)
            instance.delete()
            events.store([event])
