"""Where a driver connects, from its config: "redisUrl" (redis:// or rediss://, with "tlsCaFile"
to trust a private CA) or "redisCluster" (seed nodes). The clamator transports take a redis-py
client as `redis=`: a TLS client or a cluster client is made here and closed by the driver."""

from __future__ import annotations

from urllib.parse import urlparse

from redis.asyncio import Redis
from redis.asyncio.cluster import ClusterNode, RedisCluster


async def connection(config: dict) -> tuple[dict, Redis | RedisCluster | None]:
    """The transport's connection keyword arguments, and the client to close after it stops."""
    nodes = config.get("redisCluster")
    if nodes:
        seeds = [urlparse(n) for n in nodes]
        client = RedisCluster(startup_nodes=[ClusterNode(u.hostname, u.port) for u in seeds])
        # Initialized before use: redis-py 7.4.0's cluster client, given 50 commands at once
        # while it initializes itself, sends one of them twice (50 calls, 51 XADDs).
        await client.initialize()
        return {"redis": client}, client
    if config.get("tlsCaFile"):
        client = Redis.from_url(config["redisUrl"], ssl_ca_certs=config["tlsCaFile"])
        return {"redis": client}, client
    return {"redis_url": config["redisUrl"]}, None
