"""The Python peer's in-memory transport (clamator-over-memory 0.1.9), measured the way the Rust
round_trip bench measures: typed add calls, sequential and 1 000 concurrent. Reference figures for
the Rust benchmark, on the same machine and day.

    python3 -m venv /tmp/pymem && /tmp/pymem/bin/pip install clamator-over-memory==0.1.9
    /tmp/pymem/bin/python clamator-over-memory/benches/python_memory.py
"""

import asyncio
import time

from clamator_over_memory import MemoryBus, MemoryRpcClient, MemoryRpcServer
from clamator_protocol import Contract, MethodEntry
from pydantic import BaseModel, ConfigDict


class AddParams(BaseModel):
    model_config = ConfigDict(extra="forbid")
    a: int
    b: int


class AddResult(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sum: int


class Arith:
    async def add(self, p: AddParams) -> AddResult:
        return AddResult(sum=p.a + p.b)


async def main() -> None:
    bus = MemoryBus()
    server = MemoryRpcServer(bus=bus)
    server.register_service(Contract("arith", {"add": MethodEntry(AddParams, AddResult, "add")}), Arith())
    await server.start()
    client = MemoryRpcClient(bus=bus)
    await client.start()

    async def call() -> None:
        r = AddResult.model_validate(await client.call("arith", "add", AddParams(a=2, b=3).model_dump()))
        assert r.sum == 5

    n = 20_000
    t = time.perf_counter()
    for _ in range(n):
        await call()
    print(f"sequential: {n / (time.perf_counter() - t):,.0f} calls/s")

    t = time.perf_counter()
    for _ in range(n // 1000):
        await asyncio.gather(*(call() for _ in range(1000)))
    print(f"1000 concurrent: {n / (time.perf_counter() - t):,.0f} calls/s")
    await client.stop()
    await server.stop()


asyncio.run(main())
