"""yibao 医保: a year of claims through a health-insurance policy, exactly.

The arithmetic is the Rust engine's (the same code as the ``yibao replay`` command line), on Arrow
record batches: amounts come back as ``decimal(18, 2)``, never as floats.

    import pyarrow.csv, yibao
    claims = pyarrow.csv.read_csv("claims.csv")
    results, summary = yibao.replay_table(yibao.policy_text("demo-county/resident-2024"), claims)
"""

import json

from ._yibao import __version__, replay, results_ddl, settlement_fields, shipped_policy

__all__ = [
    "__version__", "policy_text", "replay", "replay_table", "results_ddl", "settlement_fields",
]


def policy_text(spec):
    """A policy's text: a shipped id (``demo-county/resident-2024``) or a path to a TOML/JSON file."""
    text = shipped_policy(spec)
    if text is not None:
        return text
    with open(spec, encoding="utf-8") as f:
        return f.read()


def replay_table(policy, table, policy_name="policy.toml"):
    """Replay a pyarrow Table (or anything with ``to_batches()``, e.g. ``pyarrow.Table.from_pandas``).

    Returns ``(results_table, summary)``; rows that could not be read are in ``summary["bad_rows"]``.
    """
    import pyarrow as pa

    batch, summary, bad = replay(policy, table.to_batches(), policy_name)
    summary = json.loads(summary)
    summary["bad_rows"] = json.loads(bad)
    return pa.Table.from_batches([batch]), summary
