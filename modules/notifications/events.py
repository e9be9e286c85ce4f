"""Events published by the notifications module: none. It only listens."""
