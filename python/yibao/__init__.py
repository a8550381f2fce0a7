"""yibao 医保: a year of claims through a health-insurance policy, exactly.

The arithmetic is the Rust engine's (the same code as the ``yibao replay`` command line), on Arrow
record batches: amounts come back as ``decimal(18, 2)``, never as floats.

    import pyarrow.csv, yibao
    claims = pyarrow.csv.read_csv("claims.csv")
    results, summary = yibao.replay_table(yibao.policy_text("demo-county/resident-2024"), claims)
"""

import json

from ._yibao import __version__, replay, results_ddl, settlement_fields, shipped_policy
from ._yibao import policy_text as _policy_text

__all__ = [
    "__version__", "policy_text", "replay", "replay_table", "results_ddl", "settlement_fields",
]


def policy_text(spec):
    """A policy's text: its own text, a path to a TOML/JSON file, or a shipped id
    (``demo-county/resident-2024``) — in that order, core's (``policy::lookup``), as the CLI's
    ``--policy`` reads it."""
    return _policy_text(spec)


def replay_table(policy, table, policy_name="policy.toml"):
    """Replay a pyarrow Table (or anything with ``to_batches()``, e.g. ``pyarrow.Table.from_pandas``).

    Returns ``(results_table, summary)``; rows that could not be read are in ``summary["bad_rows"]``.
    """
    import pyarrow as pa

    batch, summary, bad = replay(policy, table.to_batches(), policy_name)
    summary = json.loads(summary)
    summary["bad_rows"] = json.loads(bad)
    return pa.Table.from_batches([batch]), summary
