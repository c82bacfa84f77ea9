"""What every part of the desktop app shares: where settings and files live, the interface
language, and how errors are worded. It imports no other module of ``bertdesk.gui``, so any
of them can import it without a circle."""
