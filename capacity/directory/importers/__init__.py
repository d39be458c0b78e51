"""Importers for the directory: Ontario's school information table, OneRoster folders, plain CSVs.

Each reads a whole file, checks every row, and either applies everything in one
transaction or nothing at all; see `common` for the shared rules.
"""

from capacity.directory.importers.oneroster import import_oneroster
from capacity.directory.importers.orgs import import_orgs
from capacity.directory.importers.people import import_people
from capacity.directory.importers.sif import import_sif

__all__ = ["import_oneroster", "import_orgs", "import_people", "import_sif"]
