"""Schemathesis hooks for the API fuzz runs (loaded with SCHEMATHESIS_HOOKS=hooks).

About half of the UUIDs drawn for a path id are swapped for the id of a seeded proposal, task
or user (listed in the JSON file named by APPRAISE_FUZZ_IDS), so that the fuzzer reaches past
the 404 of an id nobody created. The choice is a hash of the drawn value, so a run stays
reproducible from its seed. Ids that are not UUIDs (negative cases) are left alone.
"""

import hashlib
import json
import os
import uuid

import schemathesis

_IDS = {}
if os.environ.get("APPRAISE_FUZZ_IDS"):
    with open(os.environ["APPRAISE_FUZZ_IDS"], encoding="utf-8") as f:
        _IDS = json.load(f)

_POOLS = (("/proposals/", "proposals"), ("/tasks/", "tasks"), ("/admin/users/", "users"))


def _pool(path):
    for fragment, key in _POOLS:
        if fragment in path:
            return _IDS.get(key) or []
    return []


@schemathesis.hook
def map_path_parameters(ctx, path_parameters):
    if not path_parameters or not isinstance(path_parameters.get("id"), str):
        return path_parameters
    drawn = path_parameters["id"]
    try:
        uuid.UUID(drawn)
    except ValueError:
        return path_parameters
    pool = _pool(ctx.operation.path)
    if pool:
        digest = int(hashlib.sha256(drawn.encode()).hexdigest(), 16)
        if digest % 2 == 0:
            path_parameters["id"] = pool[(digest // 2) % len(pool)]
    return path_parameters


# Rules between query parameters that a JSON Schema cannot state (oversight.dto.ts, audit.dto.ts):
# `to` is not before `from`, and a baseline needs both of its dates, in order. Cases breaking them are dropped
# from the positive phase, where they would be schema-valid yet rightly refused with 400.
def _ordered(query, start, end):
    a, b = query.get(start), query.get(end)
    return not (isinstance(a, str) and isinstance(b, str)) or a <= b


def _seq_ordered(query, start, end):
    """audit.dto.ts: a seq range's `to` is not below its `from` (both integers)."""
    try:
        return int(query[end]) >= int(query[start]) if start in query and end in query else True
    except (TypeError, ValueError):
        return True


@schemathesis.hook
def filter_query(ctx, query):
    if not query:
        return True
    path = ctx.operation.path
    if "/outcomes" in path or "/reports/portfolio" in path:
        if not _ordered(query, "from", "to"):
            return False
    if ("/audit/records" in path or "/audit/export" in path) and not _seq_ordered(query, "from", "to"):
        return False
    if "/reports/portfolio" in path:
        if ("baselineFrom" in query) != ("baselineTo" in query):
            return False
        if not _ordered(query, "baselineFrom", "baselineTo"):
            return False
    return True
