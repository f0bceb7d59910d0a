"""netquest: a terminal coaching game for practising professional networking."""

__version__ = "0.1.0"
