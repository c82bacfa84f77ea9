"""This computer, as bertdesk meets it: what it can run (``doctor``) and the desktop's launcher,
icon and file type for projects (``desktop_entry``). No Qt here; the app shows the doctor's
page with what Qt itself sees handed in."""
