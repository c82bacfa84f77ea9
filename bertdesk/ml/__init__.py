"""Machine learning: model sources, training, evaluation, prediction, explanations, export (no Qt; torch imported lazily)."""
