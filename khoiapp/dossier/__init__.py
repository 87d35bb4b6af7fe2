"""The dossier format in one place: limits, payload schema and upgrade, and the one reader.

Modules: :mod:`~khoiapp.dossier.limits` (names and every limit), :mod:`~khoiapp.dossier.jsontext`
(bounded JSON parsing), :mod:`~khoiapp.dossier.schema` (bounded schema checks),
:mod:`~khoiapp.dossier.upgrade` (older payload versions), :mod:`~khoiapp.dossier.pdf` (name trees
and stream decoding), :mod:`~khoiapp.dossier.reader` (:class:`DossierReader`: one private copy of
the file, parsed once, read by verify, extract, import and summary) and
:mod:`~khoiapp.dossier.budget` (a worker process per file with its own memory and time budget).
Nothing here imports a service module, so there is no import cycle.
"""
