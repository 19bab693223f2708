"""Industry Brain Cockpit: live industry screens for command centers."""

__version__ = "0.1.0"
