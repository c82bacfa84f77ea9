"""The training panel: settings, model picker, live curves and the run history."""
