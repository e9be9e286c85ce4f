"""The one error a call to a module served by another process adds: it could not answer.

The module's own errors travel back and are raised as themselves; anything else
that goes wrong on the way is ``ModuleUnavailable``.
"""


class ModuleUnavailable(Exception):
    """A module served by another process gave no usable answer.

    It was down or unreachable, did not answer in time, refused the call (a
    secret that differs) or answered something that is not the function's
    result nor one of its errors. The call may or may not have run on the other
    side (``reached``): only an idempotent function is safe to call again. A
    project answers it with 503 Service Unavailable.

    ``reached`` is False only when no attempt reached the service (every
    connection was refused, or its address did not resolve): then the call
    provably did not run there, and the caller may undo what it prepared for
    it at once. True means it may have run (a timeout, a 503, any answer).
    """

    def __init__(self, module: str, reason: str, *, reached: bool = True) -> None:
        super().__init__(f"The {module} module is unavailable: {reason}")
        self.module = module
        self.reached = reached
        self.reason = reason  # for the logs: the cause, with addresses and statuses
        self.message = f"The {module} module is unavailable; try again later."  # for clients
