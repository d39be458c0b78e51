"""The child process that imports one uploaded file: `python -m capacity.evidence.import_process ID`.

Started by the upload task (capacity/evidence/tasks.py) so that a crash which kills
a process takes only this one with it; it ends itself if the worker that started
it dies.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str]) -> int:
    from capacity.processes import exit_when_parent_dies

    exit_when_parent_dies()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "capacity.settings")
    import django

    django.setup()
    from capacity.evidence.models import ResultImport
    from capacity.evidence.tasks import run_import

    job = ResultImport.objects.select_related("uploaded_by").get(pk=int(argv[0]))
    run_import(job)
    return 0


if __name__ == "__main__":  # pragma: no cover - run as a child process
    sys.exit(main(sys.argv[1:]))
