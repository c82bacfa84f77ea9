"""The Predict tab, batch prediction, explanations and model export."""
