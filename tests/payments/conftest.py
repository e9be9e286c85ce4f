"""Fixtures of the payments tests: a recording gateway in place of the active one."""

from .fakes import UseGateway, gateway, slow_gateway, use_gateway

__all__ = ["UseGateway", "gateway", "slow_gateway", "use_gateway"]
