"""Interop client driver on the published Python packages: same convention as the Rust driver
(config JSON on stdin, one {"results": [...]} document on stdout)."""

from __future__ import annotations

import asyncio
import json
import sys

from clamator_over_redis import (
    ClamatorProtocolError,
    ClamatorTransportError,
    RedisRpcClient,
    RpcError,
)

from connection import connection


async def run(client: RedisRpcClient, call: dict) -> dict:
    service, _, method = call["method"].partition(".")
    params = call.get("params", {})
    try:
        if call.get("notification"):
            await client.notify(service, method, params)
            return {"ok": True, "kind": "notification"}
        result = await client.call(service, method, params)
        return {"ok": True, "kind": "result", "result": result}
    except RpcError as e:
        return {"ok": False, "kind": "rpc-error", "code": e.code, "message": e.message, "data": e.data}
    except ClamatorTransportError as e:
        return {"ok": False, "kind": "transport-error", "message": str(e)}
    except ClamatorProtocolError as e:
        return {"ok": False, "kind": "protocol-error", "message": str(e)}
    except ValueError as e:
        return {"ok": False, "kind": "usage-error", "message": str(e)}


async def main() -> None:
    config = json.loads(sys.stdin.read())
    kwargs, owned = await connection(config)
    client = RedisRpcClient(
        **kwargs,
        key_prefix=config["keyPrefix"],
        default_timeout_ms=config.get("defaultTimeoutMs") or 30_000,
    )
    await client.start()
    calls = config["calls"]
    # Upstream's convention: `concurrent` is a count, the call list runs that many times at once
    # (absent, 0 or 1: one after another); `true` runs it once, every call at once.
    concurrent = config.get("concurrent")
    copies = 1 if concurrent is True else (concurrent if isinstance(concurrent, int) and concurrent > 1 else 0)
    if copies:
        results = await asyncio.gather(*(run(client, c) for c in calls * copies))
    else:
        results = [await run(client, c) for c in calls]
    await client.stop()
    if owned is not None:
        await owned.aclose()
    print(json.dumps({"results": list(results)}), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
