"""The bloc's side: its unit list, the figures of its report, and the files made from them."""
