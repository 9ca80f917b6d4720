"""The API kit every app builds on: errors and the exception handler, request
parameters, pagination, strict filters, the base serializer and viewset, and
the fast path for big lists. Nothing here knows a particular model: what is
special about one (Person's password, say) is declared by the app that owns it."""
