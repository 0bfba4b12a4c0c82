"""Interop server driver on the published Python packages: same convention as the Rust driver
(config JSON on stdin, READY on stdout, HANDLED:<n> on stderr; SIGTERM stops gracefully)."""

from __future__ import annotations

import asyncio
import json
import signal
import sys

import importlib
from pathlib import Path

from clamator_over_redis import RedisRpcServer, RpcError
from clamator_protocol import Contract, MethodEntry

from connection import connection
from models import ARITH, NOTIFICATIONS, DivideResult, EchoText, SumResult

ROOT = Path(__file__).resolve().parents[3]
FIXTURE_SERVICES = {"launch-control", "talk"}


class Counter:
    def __init__(self, delay_ms: int) -> None:
        self.n = 0
        self.started = 0
        self.delay = delay_ms / 1000

    async def enter(self) -> None:
        if self.delay:
            await asyncio.sleep(self.delay)

    def start(self) -> None:
        self.started += 1
        print(f"STARTED:{self.started}", file=sys.stderr, flush=True)

    def bump(self) -> None:
        self.n += 1
        print(f"HANDLED:{self.n}", file=sys.stderr, flush=True)


class Arith:
    def __init__(self, counter: Counter) -> None:
        self.c = counter

    async def add(self, p):
        await self.c.enter()
        self.c.bump()
        return SumResult(sum=p.a + p.b)

    async def slow_add(self, p):
        await self.c.enter()
        self.c.start()
        await asyncio.sleep(p.sleep_ms / 1000)
        self.c.bump()
        return SumResult(sum=p.a + p.b)

    async def divide(self, p):
        await self.c.enter()
        self.c.bump()
        if p.b == 0:
            raise RpcError(-32000, "division by zero")
        return DivideResult(q=p.a / p.b)

    async def echo_text(self, p):
        await self.c.enter()
        self.c.bump()
        return EchoText(text=p.text)


class Notifications:
    def __init__(self, counter: Counter) -> None:
        self.c = counter

    async def ping(self, p):
        await self.c.enter()
        self.c.bump()


class Canned:
    """Answers every call of a method with its canned result (validated by the server core
    against the method's result model)."""

    def __init__(self, results: dict, counter: Counter) -> None:
        self._results = results
        self._counter = counter

    def __getattr__(self, method: str):
        async def handler(params):
            self._counter.bump()
            return self._results.get(method)

        return handler


def fixture_contract(service: str, results: dict, counter: Counter):
    """The contract of a fixture service, from its manifest and the generated models."""
    manifest = json.loads((ROOT / f"fixtures/manifests/{service}.schema.json").read_text())
    models = importlib.import_module(f"fixture_models.{service.replace('-', '_')}")
    methods = {}
    for method, entry in manifest["contracts"][service].items():
        name = method[0].upper() + method[1:]
        result = getattr(models, f"{name}Result") if entry.get("resultSchema") is not None else None
        methods[method] = MethodEntry(getattr(models, f"{name}Params"), result, method)
    return Contract(service=service, methods=methods), Canned(results, counter)


async def main() -> None:
    config = json.loads(sys.stdin.read())
    kwargs, owned = await connection(config)
    kwargs["key_prefix"] = config["keyPrefix"]
    if config.get("instanceId"):
        kwargs["instance_id"] = config["instanceId"]
    if config.get("consumerClaimIdleMs") is not None:
        kwargs["consumer_claim_idle_ms"] = config["consumerClaimIdleMs"]
    server = RedisRpcServer(**kwargs)
    counter = Counter(config.get("handlerDelayMs", 0))
    contracts = config["contract"]
    for name in [contracts] if isinstance(contracts, str) else contracts:
        if name == "arith":
            server.register_service(ARITH, Arith(counter))
        elif name == "notifications":
            server.register_service(NOTIFICATIONS, Notifications(counter))
        elif name in FIXTURE_SERVICES:
            server.register_service(*fixture_contract(name, config.get("cannedResults", {}), counter))
        else:
            raise SystemExit(f"unknown contract {name!r}")
    await server.start()
    print("READY", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    await stop.wait()
    await server.stop()
    if owned is not None:
        await owned.aclose()


if __name__ == "__main__":
    asyncio.run(main())
