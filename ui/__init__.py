"""The PySide6 window over the Khối core."""
