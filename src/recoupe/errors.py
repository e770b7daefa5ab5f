"""One exception tree for the whole package.

Bad *input documents* are not exceptions: they become ``Rejection`` records. Exceptions are
for conditions that stop a command: a path that does not exist, a broken config, a store
that cannot be opened. The CLI maps each class to an exit code (see docs/cli.md):

    RecoupeError            1  anything else we raised on purpose
    ├── UsageError          2  wrong arguments
    ├── InputError          3  an input path/URL cannot be read at all
    ├── NotFoundError       4  an ID that is not in the store
    ├── StoreError          5  the store cannot be opened / is from a newer version
    ├── ConfigError         6  the config file (or a setting) is invalid
    ├── AllRejectedError    7  every input of an ingest was rejected: nothing was stored
    │                          or found already stored (e.g. a URL that cannot be fetched).
    │                          Each input's own failure is still a Rejection; this only
    │                          tells a script that the run produced nothing.
    └── PipelineError       8  a worker of the executor died or the cluster went away;
                               what was stored stays, running again resumes.
"""

from __future__ import annotations


class RecoupeError(Exception):
    """Base class of every error recoupe raises on purpose."""

    exit_code = 1


class UsageError(RecoupeError):
    exit_code = 2


class InputError(RecoupeError):
    exit_code = 3


class NotFoundError(RecoupeError):
    exit_code = 4


class StoreError(RecoupeError):
    exit_code = 5


class ConfigError(RecoupeError):
    exit_code = 6


class AllRejectedError(RecoupeError):
    exit_code = 7


class PipelineError(RecoupeError):
    exit_code = 8
