"""Pydantic models of `talk`, generated from talk.schema.json by datamodel-codegen."""

from .PostParams import PostParams
from .PostResult import PostResult
from .ThreadParams import ThreadParams
from .ThreadResult import ThreadResult
