#!/usr/bin/env bash
# The soak of issue 11: 64 clients x 10 000 mixed operations against one daemon (creates,
# deletes, enslaves, moves between namespaces, dumps), a fast and a slow subscriber, the
# model's invariants checked after every batch of 100 operations per client, and the link
# table rebuilt from notifications compared with a final dump. Prints throughput and the
# daemon's resident memory; exits non-zero if any check failed.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p nlsim
exec ./target/release/nlsim soak --clients "${CLIENTS:-64}" --ops "${OPS:-10000}" --batch 100 --seed "${SEED:-1}"
