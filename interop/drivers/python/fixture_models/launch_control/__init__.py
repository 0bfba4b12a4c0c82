"""Pydantic models of `launch-control`, generated from launch-control.schema.json by datamodel-codegen."""

from .AbortParams import AbortParams
from .AbortResult import AbortResult
from .GetWeatherParams import GetWeatherParams
from .GetWeatherResult import GetWeatherResult
from .HeartbeatParams import HeartbeatParams
from .LaunchParams import LaunchParams
from .LaunchResult import LaunchResult
from .ListLaunchesParams import ListLaunchesParams
from .ListLaunchesResult import ListLaunchesResult
from .ResetParams import ResetParams
from .ResetResult import ResetResult
from .ScrubParams import ScrubParams
from .SetCountdownParams import SetCountdownParams
from .SetCountdownResult import SetCountdownResult
from .StatusParams import StatusParams
from .StatusResult import StatusResult
from .TelemetryParams import TelemetryParams
