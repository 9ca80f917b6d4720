"""Shotgun import: pure record mapping (mapping.py), look-up maps (lookups.py),
the bulk upsert engine (importer.py) and one importer per record kind (kinds.py),
behind one service (services.py) that REST, admin and manage.py call."""
