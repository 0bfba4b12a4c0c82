"""Pydantic models for interop/contracts.schema.json, written as datamodel-code-generator writes
them with upstream's options (extra keys forbidden, snake_case fields with wire aliases)."""

from __future__ import annotations

from clamator_protocol import Contract, MethodEntry
from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class AddParams(_Model):
    a: float
    b: float


class SumResult(_Model):
    sum: float


class SlowAddParams(_Model):
    a: float
    b: float
    sleep_ms: int = Field(..., alias="sleepMs", ge=0)


class DivideResult(_Model):
    q: float


class EchoText(_Model):
    text: str


class PingParams(_Model):
    tag: str | None = None


ARITH = Contract(
    service="arith",
    methods={
        "add": MethodEntry(AddParams, SumResult, "add"),
        "slowAdd": MethodEntry(SlowAddParams, SumResult, "slow_add"),
        "divide": MethodEntry(AddParams, DivideResult, "divide"),
        "echoText": MethodEntry(EchoText, EchoText, "echo_text"),
    },
)

NOTIFICATIONS = Contract(
    service="notifications",
    methods={"ping": MethodEntry(PingParams, None, "ping")},
)
